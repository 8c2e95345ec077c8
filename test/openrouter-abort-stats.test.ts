/** Caller aborts are counted apart from failures in `getStats()`. */
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

describe('getStats() and caller aborts', () => {
  it('an aborted chat() is counted as aborted, not as a failure, for the call and its model', async () => {
    makeClient();
    fx.fake.script('a', { stall: 'before_headers' });
    const controller = new AbortController();
    const call = fx.client.chat({ messages }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    const stats = fx.client.getStats();
    expect(stats).toMatchObject({ requests: 1, failures: 0, aborted: 1, failuresByKind: {} });
    expect(stats.models.a).toMatchObject({ failures: 0, aborted: 1 });
  });

  it('a stream aborted after its first token is counted the same way', async () => {
    makeClient();
    fx.fake.script('a', { ttftMs: 0, tokenIntervalMs: 200, tokens: ['one ', 'two ', 'three'] });
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const item of fx.client.stream({ messages }, { signal: controller.signal })) {
        seen.push(item.type);
        controller.abort();
      }
    })().catch((caught: unknown) => caught);
    expect(seen).toEqual(['delta']);
    expect(error).toMatchObject({ code: 'ABORTED' });
    const stats = fx.client.getStats();
    expect(stats).toMatchObject({ failures: 0, aborted: 1, failuresByKind: {} });
    expect(stats.models.a).toMatchObject({ failures: 0, aborted: 1, breaker: 'closed' });
  });

  it('real failures are still failures', async () => {
    makeClient({ models: ['a'], maxRetries: 0 });
    fx.fake.script('a', { status: 503 });
    await expect(fx.client.chat({ messages })).rejects.toMatchObject({
      code: 'OPENROUTER_ALL_MODELS_FAILED',
    });
    const stats = fx.client.getStats();
    expect(stats).toMatchObject({ failures: 1, aborted: 0 });
    expect(stats.models.a).toMatchObject({ failures: 1, aborted: 0 });
  });
});
