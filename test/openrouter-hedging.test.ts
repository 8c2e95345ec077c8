import { AllModelsFailedError, OpenRouterHttpError } from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

describe('OpenRouterClient hedging', () => {
  it('a failed hedged call reports every model of the ladder, not only the hedge branch', async () => {
    makeClient({ hedge: { delayMs: 10 }, maxRetries: 0, breaker: { failureThreshold: 1_000 } });
    fx.fake.script('a', { latencyMs: 200, status: 503 });
    fx.fake.script('b', { status: 500 });
    const error = await fx.client.chat({ messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect(Object.keys((error as AllModelsFailedError).errors).sort()).toEqual(['a', 'b']);
  });

  it('does not count or announce a hedge on a model whose breaker is open; hedges on the next live one', async () => {
    makeClient({ models: ['a', 'b', 'c'], hedge: { delayMs: 10 }, breaker: { failureThreshold: 1 } });
    fx.fake.script('b', { status: 503 });
    await expect(fx.client.chat({ messages, models: ['b'] })).rejects.toMatchObject({
      code: 'OPENROUTER_ALL_MODELS_FAILED',
    });
    expect(fx.client.getStats().models.b?.breaker).toBe('open');
    const hedges: string[] = [];
    fx.client.on('hedge', ({ primary, hedge }) => hedges.push(`${primary}>${hedge}`));
    fx.fake.script('a', { stall: 'before_headers' });
    const result = await fx.client.chat({ messages });
    expect(result.model).toBe('c');
    expect(hedges).toEqual(['a>c']);
    expect(fx.client.getStats().hedges).toBe(1);

    fx.fake.script('a', { latencyMs: 80 });
    fx.fake.script('c', { status: 503 });
    await expect(fx.client.chat({ messages, models: ['c'] })).rejects.toMatchObject({
      code: 'OPENROUTER_ALL_MODELS_FAILED',
    });
    expect((await fx.client.chat({ messages })).model).toBe('a');
    expect(hedges).toEqual(['a>c']);
    expect(fx.client.getStats().hedges).toBe(1);
  });

  it('a fatal error on one hedged branch ends the call and aborts the other branch', async () => {
    makeClient({ hedge: { delayMs: 10 } });
    fx.fake.script('a', { latencyMs: 100, status: 401 });
    fx.fake.script('b', { stall: 'before_headers' });
    const error = await fx.client.chat({ messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenRouterHttpError);
    expect(error).toMatchObject({ status: 401, fatal: true });
    expect(fx.client.getStats().models.b?.breaker).toBe('closed');
    expect(fx.fake.requestsFor('b')).toHaveLength(1);
  });
});
