/**
 * Breakers shared across processes through real Redis (`sharedState: RedisOpenRouterState`). Each
 * "process" here is its own client with its own RedisOpenRouterState and connections, on one fake
 * OpenRouter: a model opened by one is skipped by the others after one pub/sub round trip; a
 * success in flight elsewhere cannot close it (the generation rule of issue #15, across
 * processes); only a probe closes it, everywhere; a close of an older cycle is ignored; a process
 * that starts while a breaker is open skips the model too.
 */
import {
  InvalidOptionsError,
  OpenRouterClient,
  type OpenRouterClientOptions,
  type OpenRouterEvents,
  RedisOpenRouterState,
  type RedisOpenRouterStateEvents,
} from 'chatlane';
import { FakeOpenRouter } from 'chatlane/testing';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REDIS_URL, useRedisFixture } from './helpers/redis-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const db = useRedisFixture();
let fake: FakeOpenRouter;

beforeEach(async () => {
  fake = await FakeOpenRouter.start();
});
afterEach(async () => {
  await fake.close();
});

interface Process {
  client: OpenRouterClient;
  state: RedisOpenRouterState;
  opens: Array<OpenRouterEvents['breakerOpen']>;
  closes: Array<OpenRouterEvents['breakerClose']>;
}

/** One bot process: its own Redis connection, shared state and client. */
async function startProcess(options: Partial<OpenRouterClientOptions> = {}): Promise<Process> {
  const redis = new Redis(REDIS_URL);
  const state = new RedisOpenRouterState({ redis, keyPrefix: db.prefix });
  const client = new OpenRouterClient({
    apiKey: 'k',
    baseUrl: fake.baseUrl,
    models: ['primary', 'fallback'],
    maxRetries: 0,
    random: () => 0,
    sharedState: state,
    ...options,
  });
  db.onCleanup(() => redis.quit());
  db.onCleanup(() => state.close());
  db.onCleanup(() => client.close());
  const opens: Process['opens'] = [];
  const closes: Process['closes'] = [];
  client.on('breakerOpen', (event) => opens.push(event));
  client.on('breakerClose', (event) => closes.push(event));
  await state.ready();
  return { client, state, opens, closes };
}

const primaryRequests = () => fake.requestsFor('primary').length;

describe('shared breakers (real Redis)', () => {
  it('a model opened by one process is skipped by the others after one pub/sub round trip', async () => {
    const a = await startProcess();
    const b = await startProcess();
    fake.script('primary', { status: 503 });
    await a.client.chat({ messages });
    await a.client.chat({ messages });
    expect(a.opens).toMatchObject([{ model: 'primary', origin: 'local', failures: 2 }]);
    await vi.waitFor(() => expect(b.opens).toMatchObject([{ model: 'primary', origin: 'remote' }]));
    const before = primaryRequests();
    expect((await b.client.chat({ messages })).model).toBe('fallback');
    expect(primaryRequests()).toBe(before);
    expect(b.client.getStats().models.primary?.breaker).toBe('open');
  });

  it('a success in flight elsewhere cannot close it; the probe closes it in every process', async () => {
    const options = { breaker: { failureThreshold: 2, cooldownMs: 1500 } };
    const a = await startProcess(options);
    const b = await startProcess(options);
    // B's call gets a slow success; A's next two calls fail and open the breaker meanwhile.
    fake.script('primary', [{ latencyMs: 800 }, { status: 503 }, { status: 503 }, {}]);
    const inFlight = b.client.chat({ messages });
    await vi.waitFor(() => expect(primaryRequests()).toBe(1));
    await a.client.chat({ messages });
    await a.client.chat({ messages });
    await vi.waitFor(() => expect(b.opens).toHaveLength(1));
    expect((await inFlight).model).toBe('primary');
    expect(b.client.getStats().models.primary).toMatchObject({ breaker: 'open', lateBreakerVerdicts: 1 });
    expect(b.closes).toEqual([]);
    // After the cooldown A's probe succeeds: closed here and, through Redis, in B.
    await vi.waitFor(() => expect(a.client.getStats().models.primary?.breaker).toBe('half_open'));
    expect((await a.client.chat({ messages })).model).toBe('primary');
    expect(a.closes).toEqual([{ model: 'primary', origin: 'local' }]);
    await vi.waitFor(() => expect(b.closes).toEqual([{ model: 'primary', origin: 'remote' }]));
    expect(b.client.getStats().models.primary?.breaker).toBe('closed');
  });

  it('a close from an older cycle is ignored; the current cycle’s close is applied', async () => {
    const a = await startProcess();
    const b = await startProcess();
    fake.script('primary', { status: 503 });
    await a.client.chat({ messages });
    await a.client.chat({ messages });
    await vi.waitFor(() => expect(b.opens).toHaveLength(1));
    const generation = Number(await db.admin.get(`${db.prefix}or:breaker:{primary}:generation`));
    const close = (g: number) =>
      db.admin.publish(
        `${db.prefix}or:breaker`,
        JSON.stringify({ kind: 'close', origin: 'peer', model: 'primary', generation: g }),
      );
    await close(generation - 1);
    await db.admin.publish(`${db.prefix}or:breaker`, 'not json'); // ignored too
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b.client.getStats().models.primary?.breaker).toBe('open');
    await close(generation);
    await vi.waitFor(() => expect(b.client.getStats().models.primary?.breaker).toBe('closed'));
  });

  it('a process that starts while a breaker is open skips the model from its first call', async () => {
    const a = await startProcess();
    fake.script('primary', { status: 503 });
    await a.client.chat({ messages });
    await a.client.chat({ messages });
    const late = await startProcess();
    expect(late.opens).toMatchObject([{ model: 'primary', origin: 'remote' }]);
    const before = primaryRequests();
    expect((await late.client.chat({ messages })).model).toBe('fallback');
    expect(primaryRequests()).toBe(before);
  });

  it('when Redis fails the client keeps its own breakers and reports syncError', async () => {
    const redis = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    const state = new RedisOpenRouterState({ redis, keyPrefix: db.prefix });
    const errors: Array<RedisOpenRouterStateEvents['syncError']> = [];
    state.on('syncError', (event) => errors.push(event));
    const client = new OpenRouterClient({
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      models: ['primary', 'fallback'],
      maxRetries: 0,
      sharedState: state,
    });
    db.onCleanup(async () => redis.disconnect());
    db.onCleanup(() => state.close());
    db.onCleanup(() => client.close());
    fake.script('primary', { status: 503 });
    await client.chat({ messages });
    expect((await client.chat({ messages })).model).toBe('fallback');
    expect(client.getStats().models.primary?.breaker).toBe('open');
    await vi.waitFor(() => expect(errors.map((e) => e.operation)).toContain('open'));
    await expect(state.ready()).rejects.toThrow();
  });

  it('requestsPerSecond: one request bucket per API key for every process, named by a hash of the key', async () => {
    const arrivals: number[] = [];
    fake.setDefault({
      reply: () => {
        arrivals.push(Date.now());
        return 'ok';
      },
    });
    const processes = [0, 1].map(() => {
      const redis = new Redis(REDIS_URL);
      const state = new RedisOpenRouterState({ redis, keyPrefix: db.prefix, requestsPerSecond: 4 });
      const client = new OpenRouterClient({
        apiKey: 'sk-or-secret-key',
        baseUrl: fake.baseUrl,
        models: ['m'],
        sharedState: state,
      });
      db.onCleanup(() => redis.quit());
      db.onCleanup(() => state.close());
      db.onCleanup(() => client.close());
      return client;
    });
    await Promise.all(
      processes.flatMap((client) => Array.from({ length: 5 }, () => client.chat({ messages }))),
    );
    arrivals.sort((a, b) => a - b);
    // At most 4 in any second (950 ms: the test's clock is not Redis's), so 10 take over 2 s.
    const busiest = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 950).length));
    expect(busiest).toBeLessThanOrEqual(4);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(1_900);
    const keys = await db.admin.keys(`${db.prefix}or:requests:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain('secret');
  });

  it('hedgesPerSecond: one hedge budget per API key for every process; a call past it waits for its primary', async () => {
    fake.script('slow', { latencyMs: 300 });
    const clients = [0, 1].map(() => {
      const redis = new Redis(REDIS_URL);
      const state = new RedisOpenRouterState({ redis, keyPrefix: db.prefix, hedgesPerSecond: 2 });
      const client = new OpenRouterClient({
        apiKey: 'k',
        baseUrl: fake.baseUrl,
        models: ['slow', 'fast'],
        hedge: { delayMs: 20 },
        sharedState: state,
      });
      db.onCleanup(() => redis.quit());
      db.onCleanup(() => state.close());
      db.onCleanup(() => client.close());
      return client;
    });
    const results = await Promise.all(
      clients.flatMap((client) => [0, 1, 2].map(() => client.chat({ messages }))),
    );
    expect(results.map((r) => r.model).sort()).toEqual(['fast', 'fast', 'slow', 'slow', 'slow', 'slow']);
    const stats = clients.map((client) => client.getStats());
    expect(stats.reduce((n, s) => n + s.hedges, 0)).toBe(2);
    expect(stats.reduce((n, s) => n + s.hedgesOverBudget, 0)).toBe(4);
  });

  it('validates its options', () => {
    expect(() => new RedisOpenRouterState({ redis: {} as never })).toThrow(InvalidOptionsError);
    expect(
      () => new RedisOpenRouterState({ redis: new Redis({ lazyConnect: true }), keyPrefx: 'x' } as never),
    ).toThrow(/keyPrefix/);
    expect(() => new OpenRouterClient({ apiKey: 'k', models: ['a'], sharedState: {} as never })).toThrow(
      /sharedState/,
    );
  });
});
