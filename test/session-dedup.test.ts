import {
  AbortError,
  InvalidOptionsError,
  MemorySessionStore,
  RedisSessionStore,
  SessionCache,
} from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { REDIS_URL, useRedisFixture } from './helpers/redis-fixture.ts';

const loadProfile = async (id: string) => ({ id });

const db = useRedisFixture();

function memoryCache(options: { dedupTtlMs?: number; dedupMaxEntries?: number; clock?: ManualClock } = {}) {
  const cache = new SessionCache({ loadProfile, ...options });
  db.onCleanup(() => cache.close());
  return cache;
}

/** One bot process on the shared Redis. */
async function redisCache() {
  const redis = new Redis(REDIS_URL);
  const store = new RedisSessionStore({ redis, keyPrefix: db.prefix });
  const cache = new SessionCache({ loadProfile, store });
  db.onCleanup(() => redis.quit());
  db.onCleanup(() => cache.close());
  await store.ready();
  return cache;
}

describe('SessionCache.claimMessage (in process)', () => {
  it('answers a message id once: the replay gets false and is counted', async () => {
    const cache = memoryCache();
    expect(await cache.claimMessage('111')).toBe(true);
    expect(await cache.claimMessage('111')).toBe(false);
    expect(await cache.claimMessage('222')).toBe(true);
    expect(cache.getStats().duplicateMessages).toBe(1);
  });

  it('a claim expires after dedupTtlMs', async () => {
    const clock = new ManualClock(0);
    const cache = memoryCache({ dedupTtlMs: 1_000, clock });
    expect(await cache.claimMessage('m')).toBe(true);
    clock.advance(999);
    expect(await cache.claimMessage('m')).toBe(false);
    clock.advance(1);
    expect(await cache.claimMessage('m')).toBe(true);
  });

  it('remembers a bounded number of ids (quick-lru: between max and 2 × max)', async () => {
    const store = new MemorySessionStore({ maxClaims: 2 });
    for (const id of ['a', 'b']) expect(await store.claim(id, 60_000)).toBe(true);
    expect(await store.claim('a', 60_000)).toBe(false); // within the bound
    for (const id of ['c', 'd', 'e']) expect(await store.claim(id, 60_000)).toBe(true);
    expect(await store.claim('b', 60_000)).toBe(true); // pushed out by the bound: claimable again
    const cache = memoryCache({ dedupMaxEntries: 2 });
    for (const id of ['1', '2', '3', '4', '5']) await cache.claimMessage(id);
    expect(await cache.claimMessage('1')).toBe(true);
  });

  it('honours an aborted signal, validates its input and options', async () => {
    const cache = memoryCache();
    await expect(cache.claimMessage('m', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(await cache.claimMessage('m')).toBe(true); // the aborted call claimed nothing
    await expect(cache.claimMessage('')).rejects.toBeInstanceOf(InvalidOptionsError);
    expect(() => new SessionCache({ loadProfile, dedupTtlMs: 0 })).toThrow(InvalidOptionsError);
    expect(() => new SessionCache({ loadProfile, dedupMaxEntries: -1 })).toThrow(InvalidOptionsError);
  });
});

describe('SessionCache.claimMessage across processes (real Redis)', () => {
  it('two instances on one Redis: exactly one answers each message', async () => {
    const a = await redisCache();
    const b = await redisCache();
    const ids = Array.from({ length: 20 }, (_, i) => `msg-${i}`);
    const results = await Promise.all(ids.flatMap((id) => [a.claimMessage(id), b.claimMessage(id)]));
    for (let i = 0; i < ids.length; i += 1) {
      expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
    }
    expect(a.getStats().duplicateMessages + b.getStats().duplicateMessages).toBe(ids.length);
    const ttl = await db.admin.pttl(`${db.prefix}claim:msg-0`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });

  it('RedisSessionStore.claim is SET NX PX: false while held, true again once expired', async () => {
    const redis = new Redis(REDIS_URL);
    db.onCleanup(() => redis.quit());
    const store = new RedisSessionStore({ redis, keyPrefix: db.prefix });
    db.onCleanup(() => store.close());
    expect(await store.claim('k', 50)).toBe(true);
    expect(await store.claim('k', 50)).toBe(false);
    await vi.waitFor(async () => expect(await store.claim('k', 60_000)).toBe(true), { interval: 20 });
    expect(await db.admin.get(`${db.prefix}claim:k`)).toBe('1');
  });
});
