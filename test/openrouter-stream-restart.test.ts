import { AllModelsFailedError, OpenRouterHttpError } from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

describe('OpenRouterClient mid-stream restart', () => {
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
