import { type AllModelsFailedError, CircuitOpenError, OpenRouterClient } from 'chatlane';
import { FakeOpenRouter } from 'chatlane/testing';
import { describe, expect, it, vi } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

describe('circuit breaker', () => {
  it('opens after 2 failed calls (each after its retries), skips the model without a request, probes once after the cooldown, closes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      makeClient({ breaker: { cooldownMs: 15_000 } });
      const events: string[] = [];
      fx.client.on('breakerOpen', ({ model }) => events.push(`open:${model}`));
      fx.client.on('breakerClose', ({ model }) => events.push(`close:${model}`));
      fx.fake.script('a', { status: 503 });

      expect((await fx.client.chat({ messages })).model).toBe('b');
      expect(fx.fake.requestsFor('a')).toHaveLength(3);
      expect(fx.client.getStats().models.a?.breaker).toBe('closed');
      expect((await fx.client.chat({ messages })).model).toBe('b');
      expect(fx.fake.requestsFor('a')).toHaveLength(6);
      expect(fx.client.getStats().models.a?.breaker).toBe('open');

      vi.advanceTimersByTime(14_999);
      expect((await fx.client.chat({ messages })).model).toBe('b');
      expect(fx.fake.requestsFor('a')).toHaveLength(6);

      vi.advanceTimersByTime(1);
      expect(fx.client.getStats().models.a?.breaker).toBe('half_open');
      expect((await fx.client.chat({ messages })).model).toBe('b');
      expect(fx.fake.requestsFor('a')).toHaveLength(7); // the probe: one attempt, no retries
      expect(fx.client.getStats().models.a?.breaker).toBe('open');

      vi.advanceTimersByTime(15_000);
      fx.fake.script('a', {});
      expect((await fx.client.chat({ messages })).model).toBe('a');
      expect(fx.client.getStats().models.a?.breaker).toBe('closed');
      expect(events).toEqual(['open:a', 'open:a', 'close:a']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs its cooldown on a timer, so fake timers drive it; close() stops that timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      makeClient({ maxRetries: 0, breaker: { cooldownMs: 15_000, failureThreshold: 1 } });
      fx.fake.script('a', [{ status: 500 }, {}]);
      expect((await fx.client.chat({ messages })).model).toBe('b');
      expect(fx.client.getStats().models.a?.breaker).toBe('open');
      vi.advanceTimersByTime(14_999);
      expect(fx.client.getStats().models.a?.breaker).toBe('open');
      vi.advanceTimersByTime(1);
      expect(fx.client.getStats().models.a?.breaker).toBe('half_open');
      expect((await fx.client.chat({ messages })).model).toBe('a');
      expect(fx.client.getStats().models.a?.breaker).toBe('closed');

      fx.fake.script('a', { status: 500 });
      expect((await fx.client.chat({ messages })).model).toBe('b');
      expect(fx.client.getStats().models.a?.breaker).toBe('open');
      await fx.client.close();
      vi.advanceTimersByTime(15_000);
      expect(fx.client.getStats().models.a?.breaker).toBe('open');
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a skipped model as CircuitOpenError when every breaker is open', async () => {
    makeClient({ models: ['a'] });
    fx.fake.script('a', { status: 500 });
    await expect(fx.client.chat({ messages })).rejects.toMatchObject({
      code: 'OPENROUTER_ALL_MODELS_FAILED',
    });
    await expect(fx.client.chat({ messages })).rejects.toMatchObject({
      code: 'OPENROUTER_ALL_MODELS_FAILED',
    });
    const error = (await fx.client.chat({ messages }).catch((e: unknown) => e)) as AllModelsFailedError;
    expect(error.errors.a).toBeInstanceOf(CircuitOpenError);
    expect(fx.fake.requestCount).toBe(6);
  });
});

describe('hedging', () => {
  it('sends a parallel attempt to the next model when the first is slow; the first answer wins, the other is aborted', async () => {
    makeClient({ hedge: { delayMs: 20 } });
    fx.fake.script('a', { stall: 'before_headers' });
    const hedges: string[] = [];
    fx.client.on('hedge', ({ primary, hedge }) => hedges.push(`${primary}>${hedge}`));
    const result = await fx.client.chat({ messages });
    expect(result.model).toBe('b');
    expect(hedges).toEqual(['a>b']);
    expect(fx.client.getStats()).toMatchObject({ hedges: 1, attempts: 2 });
    expect(fx.client.getStats().models.a?.breaker).toBe('closed');
  });

  it('does not hedge when the first model answers within the delay, and the primary can win a race', async () => {
    makeClient({ hedge: { delayMs: 5_000 } });
    expect((await fx.client.chat({ messages })).model).toBe('a');
    expect(fx.client.getStats().hedges).toBe(0);
    await fx.client.close();
    makeClient({ hedge: { delayMs: 10 } });
    fx.fake.script('a', { latencyMs: 60 });
    fx.fake.script('b', { stall: 'before_headers' });
    expect((await fx.client.chat({ messages })).model).toBe('a');
    expect(fx.client.getStats().hedges).toBe(1);
  });

  it('hedges streams too', async () => {
    makeClient({ hedge: { delayMs: 20 } });
    fx.fake.script('a', { stall: { afterTokens: 0 } });
    const models = new Set<string>();
    for await (const item of fx.client.stream({ messages })) models.add(item.model);
    expect([...models]).toEqual(['b']);
  });
});

describe('pool and lifecycle', () => {
  it('reuses connections for ≥ 99% of 1,000 sequential requests', async () => {
    fx.fake.setDefault({});
    const quiet = await FakeOpenRouter.start({ record: false });
    fx.client = new OpenRouterClient({ apiKey: 'k', baseUrl: quiet.baseUrl, models: ['a'] });
    for (let i = 0; i < 1_000; i += 1) await fx.client.chat({ messages });
    const stats = fx.client.getStats();
    expect(quiet.requestCount).toBe(1_000);
    expect(quiet.connectionCount).toBeLessThanOrEqual(10);
    expect(stats.connectionReuseRate).toBeGreaterThanOrEqual(0.99);
    expect(stats).toMatchObject({ requests: 1_000, successes: 1_000, failures: 0 });
    expect(stats.models.a?.latency?.count).toBe(1_000);
    await fx.client.close();
    await quiet.close();
  });

  it('returns stream connections to the pool after [DONE]', async () => {
    makeClient();
    for (let i = 0; i < 20; i += 1) {
      for await (const _ of fx.client.stream({ messages })) {
        // drain
      }
    }
    expect(fx.fake.connectionCount).toBeLessThanOrEqual(2);
    expect(fx.client.getStats().connectionReuseRate).toBeGreaterThanOrEqual(0.9);
  });

  it('leaves no open handles after close()', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    const own = await FakeOpenRouter.start();
    own.script('a', { reply: 'x y z', tokenIntervalMs: 1 });
    const local = new OpenRouterClient({ apiKey: 'k', baseUrl: own.baseUrl, models: ['a'] });
    await local.chat({ messages });
    for await (const _ of local.stream({ messages })) {
      // drain
    }
    await local.close();
    await own.close();
    await new Promise((resolve) => setImmediate(resolve));
    const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    expect(after).toBeLessThanOrEqual(before);
    makeClient();
  });

  it('fake failure ratio is reproducible with a seed, and the client still answers through the ladder', async () => {
    makeClient({ models: ['a', 'b'], maxRetries: 2, breaker: { failureThreshold: 1_000 } });
    fx.fake.script('a', { failureRatio: 0.3, seed: 42 });
    const models: string[] = [];
    for (let i = 0; i < 50; i += 1) models.push((await fx.client.chat({ messages })).model);
    expect(models.every((m) => m === 'a' || m === 'b')).toBe(true);
    const failed = fx.fake.requestCount - 50;
    expect(failed).toBeGreaterThan(0);
    const again = await FakeOpenRouter.start();
    again.script('a', { failureRatio: 0.3, seed: 42 });
    const second = new OpenRouterClient({
      apiKey: 'k',
      baseUrl: again.baseUrl,
      models: ['a', 'b'],
      random: () => 0,
      breaker: { failureThreshold: 1_000 },
    });
    for (let i = 0; i < 50; i += 1) await second.chat({ messages });
    expect(again.requestCount).toBe(fx.fake.requestCount);
    await second.close();
    await again.close();
  });
});
