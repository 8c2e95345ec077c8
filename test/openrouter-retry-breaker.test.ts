/**
 * How retries count toward a model's breaker: the breaker counts calls, not attempts. One call's
 * retries on a model are one failure, recorded when the call gives up on the model; a half-open
 * probe gets exactly one attempt.
 */
import { describe, expect, it, vi } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

describe('retries and the breaker (defaults: maxRetries 2, failureThreshold 2)', () => {
  it('a model that fails twice then succeeds answers on the 3rd attempt, no fallback', async () => {
    makeClient();
    fx.fake.script('a', [{ status: 503 }, { status: 502 }, {}]);
    const fallbacks: string[] = [];
    fx.client.on('fallback', ({ from, to }) => fallbacks.push(`${from}>${to}`));
    const result = await fx.client.chat({ messages });
    expect(result).toMatchObject({ model: 'a', attempts: 3 });
    expect(fallbacks).toEqual([]);
    expect(fx.fake.requestsFor('b')).toHaveLength(0);
    expect(fx.client.getStats()).toMatchObject({ retries: 2, fallbacks: 0 });
    expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'closed', consecutiveFailures: 0 });
  });

  it('streams get their retries too: two failures before the first token, then the answer', async () => {
    makeClient();
    fx.fake.script('a', [{ status: 500 }, { disconnect: 'before_headers' }, {}]);
    const items = [];
    for await (const item of fx.client.stream({ messages })) items.push(item);
    expect(items.at(-1)).toMatchObject({ type: 'done', model: 'a', attempts: 3 });
    expect(fx.client.getStats().models.a?.breaker).toBe('closed');
  });

  it('a stream that breaks after its first token restarts on the same model while the call has retries', async () => {
    makeClient();
    fx.fake.script('a', [
      { reply: 'broken one', midStreamError: { afterTokens: 1, code: 502 } },
      { reply: 'broken two', disconnect: { afterTokens: 1 } },
      {},
    ]);
    const resets: string[] = [];
    fx.client.on('reset', ({ from, model }) => resets.push(`${from}>${model}`));
    const items = [];
    for await (const item of fx.client.stream({ messages })) items.push(item);
    expect(items.at(-1)).toMatchObject({ type: 'done', model: 'a' });
    expect(resets).toEqual(['a>a', 'a>a']);
    expect(fx.fake.requestsFor('b')).toHaveLength(0);
    // Restarts inside one call are no breaker verdict: the model stays closed with no failure counted.
    expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'closed', consecutiveFailures: 0 });
    expect(fx.client.getStats()).toMatchObject({ retries: 2, fallbacks: 0, resets: 2 });
  });

  it('a stream that keeps breaking mid-answer spends its retries, then is one breaker failure and falls back', async () => {
    makeClient({ breaker: { failureThreshold: 1 } });
    fx.fake.script('a', { reply: 'broken', midStreamError: { afterTokens: 1, code: 502 } });
    const items = [];
    for await (const item of fx.client.stream({ messages })) items.push(item);
    expect(items.at(-1)).toMatchObject({ type: 'done', model: 'b' });
    expect(fx.fake.requestsFor('a')).toHaveLength(3);
    expect(fx.client.getStats().models.a?.breaker).toBe('open');
  });

  it('each call that spends its retries is one failure: the second such call opens the breaker', async () => {
    makeClient();
    fx.fake.script('a', { status: 503 });
    const opened: number[] = [];
    fx.client.on('breakerOpen', ({ failures }) => opened.push(failures));

    expect((await fx.client.chat({ messages })).model).toBe('b');
    expect(fx.fake.requestsFor('a')).toHaveLength(3);
    expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'closed', consecutiveFailures: 1 });

    expect((await fx.client.chat({ messages })).model).toBe('b');
    expect(fx.fake.requestsFor('a')).toHaveLength(6);
    expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'open', consecutiveFailures: 2 });
    expect(opened).toEqual([2]);

    expect((await fx.client.chat({ messages })).model).toBe('b');
    expect(fx.fake.requestsFor('a')).toHaveLength(6); // skipped while open
  });

  it('a success resets the count of failed calls', async () => {
    makeClient();
    fx.fake.script('a', [{ status: 503 }, { status: 503 }, { status: 503 }, {}, { status: 503 }]);
    expect((await fx.client.chat({ messages })).model).toBe('b');
    expect(fx.client.getStats().models.a?.consecutiveFailures).toBe(1);
    expect((await fx.client.chat({ messages })).model).toBe('a');
    expect(fx.client.getStats().models.a?.consecutiveFailures).toBe(0);
    expect((await fx.client.chat({ messages })).model).toBe('b');
    expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'closed', consecutiveFailures: 1 });
  });

  it('a retrying call stops retrying and falls back when other calls opened the breaker meanwhile', async () => {
    makeClient({ models: ['a', 'b'], breaker: { failureThreshold: 1 } });
    // 1st request: 503, retry in 300 ms. Then 429 asking for 2 min: not waited, the call gives up at once.
    fx.fake.script('a', [
      { status: 503, retryAfterMs: 300 },
      { status: 429, retryAfter: 120 },
    ]);
    const retried = new Promise<void>((resolve) => fx.client.on('retry', () => resolve()));
    const first = fx.client.chat({ messages });
    await retried; // the first call waits 300 ms before its retry
    expect((await fx.client.chat({ messages })).model).toBe('b');
    expect(fx.client.getStats().models.a?.breaker).toBe('open');
    expect((await first).model).toBe('b');
    expect(fx.fake.requestsFor('a')).toHaveLength(2); // the first call's retry was not sent
    expect(fx.client.getStats()).toMatchObject({ retries: 1, fallbacks: 2 });
  });

  it('a half-open probe gets one attempt: its failure reopens the breaker, its success closes it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      makeClient({ breaker: { cooldownMs: 1_000 } });
      const events: string[] = [];
      fx.client.on('breakerOpen', () => events.push('open'));
      fx.client.on('breakerClose', () => events.push('close'));
      fx.fake.script('a', { status: 503 });
      await fx.client.chat({ messages });
      await fx.client.chat({ messages });
      expect(fx.client.getStats().models.a?.breaker).toBe('open');
      expect(fx.fake.requestsFor('a')).toHaveLength(6);

      vi.advanceTimersByTime(1_000);
      expect(fx.client.getStats().models.a?.breaker).toBe('half_open');
      expect((await fx.client.chat({ messages })).model).toBe('b');
      expect(fx.fake.requestsFor('a')).toHaveLength(7);
      expect(fx.client.getStats().models.a?.breaker).toBe('open');

      vi.advanceTimersByTime(1_000);
      fx.fake.script('a', {});
      expect((await fx.client.chat({ messages })).model).toBe('a');
      expect(fx.fake.requestsFor('a')).toHaveLength(8);
      expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'closed', consecutiveFailures: 0 });
      expect(events).toEqual(['open', 'open', 'close']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('non-retryable 4xx and caller aborts are not model failures', async () => {
    makeClient({ breaker: { failureThreshold: 1 } });
    fx.fake.script('a', { status: 404 });
    expect((await fx.client.chat({ messages })).model).toBe('b');
    expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'closed', consecutiveFailures: 0 });

    fx.fake.script('a', { stall: 'before_headers' });
    const controller = new AbortController();
    const call = fx.client.chat({ messages }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'closed', consecutiveFailures: 0 });
  });
});
