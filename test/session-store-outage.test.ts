import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import {
  AbortError,
  ClosedError,
  type HistoryMessage,
  MemorySessionStore,
  RedisSessionStore,
  SessionCache,
  type SessionCacheEvents,
  SessionStoreTimeoutError,
} from 'chatlane';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

interface Profile {
  id: string;
  version: number;
}

const TIMEOUT_MS = 200;
const never = () => new Promise<never>(() => {});

/** A store whose every call hangs (a Redis that accepted the connection and went silent). */
class HangingStore extends MemorySessionStore<Profile> {
  override getProfile = never;
  override setProfile = never;
  override appendHistory = never;
  override getHistory = never;
  override claim = never;
}

describe('SessionCache store timeout (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('every store call settles at storeTimeoutMs, not later, and degrades', async () => {
    vi.useFakeTimers();
    const cache = new SessionCache<Profile>({
      loadProfile: async (id) => ({ id, version: 1 }),
      store: new HangingStore(),
      storeTimeoutMs: TIMEOUT_MS,
    });
    const errors: SessionCacheEvents['storeError'][] = [];
    cache.on('storeError', (event) => errors.push(event));
    const settled: string[] = [];
    const calls = {
      getProfile: cache.getProfile('u1'),
      getHistory: cache.getHistory('k', { kind: 'dm' }),
      append: cache.append('k', { role: 'user', content: 'hi' }),
      claimMessage: cache.claimMessage('m1'),
    };
    for (const [name, call] of Object.entries(calls)) void call.then(() => settled.push(name));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(settled).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled.sort()).toEqual(['append', 'claimMessage', 'getHistory', 'getProfile']);
    expect(await calls.getProfile).toEqual({ id: 'u1', version: 1 }); // from the loader
    expect(await calls.getHistory).toEqual([{ role: 'user', content: 'hi' }]); // kept locally by append
    expect(await calls.claimMessage).toBe(true); // held locally
    expect(errors.map((e) => e.operation).sort()).toEqual([
      'appendHistory',
      'claim',
      'getHistory',
      'getProfile',
    ]);
    expect(errors[0]!.error).toBeInstanceOf(SessionStoreTimeoutError);
    expect(errors[0]!.error).toMatchObject({ code: 'SESSION_STORE_TIMEOUT', timeoutMs: TIMEOUT_MS });
    // The background profile write is bounded too, so close() does not wait for the store.
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(errors.map((e) => e.operation)).toContain('setProfile');
    // What this process appended and loaded answers while the store is silent.
    const history = cache.getHistory('k', { kind: 'dm' });
    const profile = cache.getProfile('u1');
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(await history).toEqual([{ role: 'user', content: 'hi' }]);
    expect(await profile).toEqual({ id: 'u1', version: 1 });
    expect(cache.getStats()).toMatchObject({ storeErrors: 7, storeFallbacks: 7, loads: 1 });
    await cache.close();
  });

  it("the caller's signal and close() end a wait on a silent store", async () => {
    const cache = new SessionCache<Profile>({
      loadProfile: async (id) => ({ id, version: 1 }),
      store: new HangingStore(),
      storeTimeoutMs: 3_600_000,
    });
    const controller = new AbortController();
    const history = cache.getHistory('k', { kind: 'dm', signal: controller.signal });
    const append = cache.append('k', { role: 'user', content: 'x' }, { signal: controller.signal });
    const claim = cache.claimMessage('m1', { signal: controller.signal });
    controller.abort();
    await expect(history).rejects.toBeInstanceOf(AbortError);
    await expect(append).rejects.toBeInstanceOf(AbortError);
    await expect(claim).rejects.toBeInstanceOf(AbortError);
    expect(await cache.claimMessage('m1', { signal: AbortSignal.abort() }).catch((e) => e)).toBeInstanceOf(
      AbortError,
    );
    const profile = cache.getProfile('u1');
    await cache.close();
    await expect(profile).rejects.toBeInstanceOf(ClosedError);
  });
});

/** A throwaway redis-server on a free loopback port, stopped, killed and restarted by pid. */
class RedisProcess {
  readonly port: number;
  #child: ChildProcess | undefined;

  private constructor(port: number) {
    this.port = port;
  }

  static async start(): Promise<RedisProcess> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');
    const redis = new RedisProcess(port);
    await redis.restart();
    return redis;
  }

  async restart(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', ''], {
      stdio: 'ignore',
    });
    this.#child = child;
    const probe = new Redis({
      port: this.port,
      host: '127.0.0.1',
      retryStrategy: () => 20,
      lazyConnect: true,
    });
    probe.on('error', () => {});
    await vi.waitFor(() => probe.ping(), { timeout: 5_000, interval: 20 });
    probe.disconnect();
  }

  /** SIGSTOP: the connection stays open, nothing answers (a slow store). */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** SIGKILL: connections refused (a store that is down). */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

describe('SessionCache over a real redis-server that stalls, dies and comes back', () => {
  let server: RedisProcess;
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    server = await RedisProcess.start();
  });

  afterAll(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await server.kill();
  });

  async function instance(storeTimeoutMs = TIMEOUT_MS) {
    // Default ioredis settings (offline queue, 20 retries per request): the cache's bound must hold anyway.
    const redis = new Redis({ port: server.port, host: '127.0.0.1' });
    redis.on('error', () => {});
    const store = new RedisSessionStore<Profile>({ redis, keyPrefix: 'outage:' });
    let version = 0;
    const cache = new SessionCache<Profile>({
      loadProfile: async (id) => ({ id, version: ++version }),
      store,
      storeTimeoutMs,
    });
    closers.push(() => redis.disconnect());
    closers.push(() => cache.close());
    await store.ready();
    const errors: SessionCacheEvents['storeError'][] = [];
    cache.on('storeError', (event) => errors.push(event));
    return { redis, cache, errors };
  }

  const message = (content: string): HistoryMessage => ({ role: 'user', content });

  it('degrades while stopped or down, honours the signal, and recovers by itself after a restart', async () => {
    const { cache, errors } = await instance();
    const patient = await instance(3_600_000);
    await cache.append('c', message('before'));
    expect(await cache.claimMessage('m-before')).toBe(true);
    expect(errors).toEqual([]);

    server.pause();
    try {
      expect(await cache.getHistory('c', { kind: 'dm' })).toEqual([message('before')]);
      await cache.append('c', message('during stall'));
      expect(await cache.getHistory('c', { kind: 'dm' })).toEqual([
        message('before'),
        message('during stall'),
      ]);
      expect(await cache.getProfile('u1')).toEqual({ id: 'u1', version: 1 });
      expect(await cache.claimMessage('m-stall')).toBe(true);
      expect(await cache.claimMessage('m-stall')).toBe(false); // replay to this process: caught locally
      expect(await cache.claimMessage('m-before')).toBe(false);
      expect(errors.length).toBeGreaterThanOrEqual(5);
      expect(errors.every((e) => e.error instanceof SessionStoreTimeoutError)).toBe(true);
      const controller = new AbortController();
      const waiting = patient.cache.getHistory('c', { kind: 'dm', signal: controller.signal });
      controller.abort();
      await expect(waiting).rejects.toBeInstanceOf(AbortError);
      await patient.cache.close(); // returns although Redis does not answer (no QUIT round trip awaited)
    } finally {
      server.resume();
    }

    await server.kill();
    const downBefore = errors.length;
    expect(await cache.getHistory('c', { kind: 'dm' })).toHaveLength(2);
    await cache.append('c', message('while down'));
    expect(await cache.claimMessage('m-down')).toBe(true);
    expect(errors.length).toBe(downBefore + 3);
    expect(cache.getStats().storeErrors).toBe(errors.length);

    await server.restart();
    const admin = new Redis({ port: server.port, host: '127.0.0.1' });
    closers.push(() => admin.quit());
    await vi.waitFor(
      async () => {
        const before = errors.length;
        expect(await cache.claimMessage(`m-after-${before}`)).toBe(true);
        expect(errors.length).toBe(before);
      },
      { timeout: 10_000, interval: 100 },
    );
    await cache.append('c2', message('after'));
    expect(await admin.lrange('outage:history:c2', 0, -1)).toHaveLength(1);
    expect(await cache.getHistory('c2', { kind: 'dm' })).toEqual([message('after')]);
  });
});
