/**
 * Waiting for a pooled connection is not the model's time: the stream watchdog starts when the
 * request is on the wire, and the wait has its own bound (`queueTimeoutMs`) whose error is not a
 * model failure.
 */
import { OpenRouterClient, QueueTimeoutError } from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

async function drain(stream: AsyncIterable<{ type: string }>): Promise<string> {
  let last = '';
  for await (const item of stream) last = item.type;
  return last;
}

describe('the wait for a pooled connection', () => {
  it('a burst larger than the pool trips no first-token timeout and opens no breaker', async () => {
    // 10 streams on 2 connections: 5 rounds of ≈ 5 × 40 ms answers, far longer in total than the
    // 300 ms first-token budget, while each answer's first token comes 5 ms after its request.
    makeClient({ maxConnections: 2, streamFirstTokenTimeoutMs: 300, maxRetries: 0 });
    fx.fake.setDefault({ ttftMs: 5, tokenIntervalMs: 40, tokens: ['a ', 'b ', 'c ', 'd ', 'e'] });
    const ends = await Promise.all(Array.from({ length: 10 }, () => drain(fx.client.stream({ messages }))));
    expect(ends).toEqual(Array(10).fill('done'));
    const stats = fx.client.getStats();
    expect(stats.failuresByKind.OPENROUTER_TIMEOUT).toBeUndefined();
    expect(stats).toMatchObject({ successes: 10, failures: 0, fallbacks: 0, attempts: 10 });
    expect(stats.models.a).toMatchObject({ breaker: 'closed', failures: 0, successes: 10 });
    expect(fx.fake.requestsFor('b')).toHaveLength(0);
    expect(fx.fake.connectionCount).toBeLessThanOrEqual(2);
  });

  it('a wait past queueTimeoutMs ends the call with QueueTimeoutError: no retry, no fallback, no breaker verdict', async () => {
    makeClient({ maxConnections: 1, queueTimeoutMs: 300, breaker: { failureThreshold: 1 } });
    fx.fake.script('a', { ttftMs: 0, tokenIntervalMs: 500, tokens: ['a ', 'b ', 'c'] });
    const holder = fx.client.stream({ messages })[Symbol.asyncIterator]();
    expect((await holder.next()).value).toMatchObject({ type: 'delta' }); // holds the only connection ≈ 1 s
    const error = await fx.client.chat({ messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueTimeoutError);
    expect(error).toMatchObject({ code: 'OPENROUTER_QUEUE_TIMEOUT', timeoutMs: 300, model: 'a' });
    expect(await drain({ [Symbol.asyncIterator]: () => holder })).toBe('done');
    const stats = fx.client.getStats();
    expect(stats).toMatchObject({ retries: 0, fallbacks: 0, failures: 1 });
    expect(stats.failuresByKind['call:OPENROUTER_QUEUE_TIMEOUT']).toBe(1);
    expect(stats.models.a).toMatchObject({ breaker: 'closed', consecutiveFailures: 0, failures: 0 });
    expect(fx.fake.requestsFor('b')).toHaveLength(0);
    // The pool still works afterwards (undici closed the connection the timed-out request reached).
    expect((await fx.client.chat({ messages })).model).toBe('a');
  });

  it('by default the pool grows to a burst of long streams: 100 answers generated at once, none queued', async () => {
    // Each answer holds its connection ≈ 400 ms; a wait for a connection longer than 200 ms would
    // fail the call, as it did with the 0.1 default of 20 connections.
    makeClient({ queueTimeoutMs: 200, maxRetries: 0 });
    fx.fake.setDefault({ ttftMs: 5, tokenIntervalMs: 100, tokens: ['a ', 'b ', 'c ', 'd ', 'e'] });
    const ends = await Promise.all(Array.from({ length: 100 }, () => drain(fx.client.stream({ messages }))));
    expect(ends).toEqual(Array(100).fill('done'));
    expect(fx.client.getStats()).toMatchObject({ successes: 100, failures: 0 });
    expect(fx.fake.connectionCount).toBe(100);
  });

  it('validates queueTimeoutMs', () => {
    expect(() => new OpenRouterClient({ apiKey: 'k', models: ['a'], queueTimeoutMs: 0 })).toThrow(
      /queueTimeoutMs/,
    );
  });
});
