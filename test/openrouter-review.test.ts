import { AllModelsFailedError, OpenRouterHttpError } from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

describe('OpenRouterClient review fixes', () => {
  it('reads a non-streamed body that arrives in many chunks (no backpressure stall)', async () => {
    makeClient({ models: ['a'], maxRetries: 0, totalTimeoutMs: 10_000 });
    const big = 'x'.repeat(6 * 1024 * 1024);
    fx.fake.script('a', { reply: big, tokens: ['x'] });
    const result = await fx.client.chat({ messages });
    expect(result.text).toHaveLength(big.length);
  });

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

  it('a consumer that is slow between items does not trip the idle watchdog', async () => {
    makeClient({ streamIdleTimeoutMs: 600 });
    const words = Array.from({ length: 20 }, (_, index) => `w${index}`);
    fx.fake.script('a', { reply: words.join(' '), tokenIntervalMs: 100 });
    const items: string[] = [];
    let text = '';
    for await (const item of fx.client.stream({ messages })) {
      items.push(`${item.type}:${item.model}`);
      if (item.type === 'delta') text += item.delta;
      if (items.length === 1) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(items.filter((item) => item !== 'delta:a')).toEqual(['done:a']);
    expect(text.split(' ').filter(Boolean)).toEqual(words);
    expect(fx.client.getStats().resets).toBe(0);
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

  it('a mid-stream restart reports the model it really restarts on, and only when it restarts', async () => {
    makeClient({ models: ['a', 'b', 'c'], maxRetries: 0 });
    fx.fake.script('b', { status: 503 });
    await expect(fx.client.chat({ messages, models: ['b'] })).rejects.toMatchObject({
      code: 'OPENROUTER_ALL_MODELS_FAILED',
    });
    const resets: string[] = [];
    fx.client.on('reset', ({ from, model }) => resets.push(`${from}>${model}`));
    fx.fake.script('a', {
      reply: 'partial answer',
      midStreamError: { afterTokens: 1, code: 'server_error' },
    });
    const items: string[] = [];
    for await (const item of fx.client.stream({ messages })) items.push(`${item.type}:${item.model}`);
    expect(items.filter((item) => !item.startsWith('delta'))).toEqual(['reset:c', 'done:c']);
    expect(resets).toEqual(['a>c']);
    expect(fx.client.getStats().resets).toBe(1);

    const error = await (async () => {
      for await (const item of fx.client.stream({ messages, models: ['a', 'b'] })) items.push(item.type);
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'OPENROUTER_ALL_MODELS_FAILED' });
    expect(resets).toEqual(['a>c']);
    expect(fx.client.getStats().resets).toBe(1);
  });

  it('reasoning tokens before the content count as progress for the stream watchdog', async () => {
    makeClient({ streamFirstTokenTimeoutMs: 500, streamIdleTimeoutMs: 500 });
    const reasoning = Array.from({ length: 15 }, (_, index) => `think${index} `);
    fx.fake.script('a', { reasoning, reply: 'the answer', tokenIntervalMs: 80 });
    const items: string[] = [];
    for await (const item of fx.client.stream({ messages })) items.push(`${item.type}:${item.model}`);
    expect(items).toEqual(['delta:a', 'delta:a', 'done:a']);
    expect(fx.fake.requestCount).toBe(1);
  });

  it('when the restart after a mid-stream failure fails too, AllModelsFailedError holds every model', async () => {
    makeClient({ maxRetries: 0 });
    fx.fake.script('a', {
      reply: 'partial answer',
      midStreamError: { afterTokens: 1, code: 'server_error' },
    });
    fx.fake.script('b', { status: 500 });
    const items: string[] = [];
    const error = await (async () => {
      for await (const item of fx.client.stream({ messages })) items.push(`${item.type}:${item.model}`);
    })().catch((caught: unknown) => caught);
    expect(items).toEqual(['delta:a']);
    expect(error).toBeInstanceOf(AllModelsFailedError);
    const errors = (error as AllModelsFailedError).errors;
    expect(Object.keys(errors)).toEqual(['a', 'b']);
    expect(errors.a).toBeInstanceOf(OpenRouterHttpError);
    expect(errors.a).toMatchObject({ midStream: true });
  });
});
