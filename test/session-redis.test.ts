import {
  type HistoryMessage,
  InvalidOptionsError,
  RedisSessionStore,
  SessionCache,
  type SessionCacheEvents,
  SessionStoreError,
} from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { REDIS_URL, useRedisFixture } from './helpers/redis-fixture.ts';

interface Profile {
  id: string;
  version: number;
}

const db = useRedisFixture();

/** One bot process: its own command connection, its own store (which duplicates a subscriber). */
async function createInstance(loadProfile: (userId: string) => Promise<Profile>) {
  const redis = new Redis(REDIS_URL);
  const store = new RedisSessionStore<Profile>({ redis, keyPrefix: db.prefix });
  const cache = new SessionCache<Profile>({ loadProfile, store });
  db.onCleanup(() => redis.quit());
  db.onCleanup(() => cache.close());
  await store.ready();
  return { redis, store, cache };
}

function versionedLoader() {
  let version = 0;
  return vi.fn(async (userId: string): Promise<Profile> => ({ id: userId, version: ++version }));
}

describe('RedisSessionStore (real Redis)', () => {
  it('stores profiles in Redis with the profile TTL, shared by a second instance', async () => {
    const loadA = versionedLoader();
    const loadB = versionedLoader();
    const a = await createInstance(loadA);
    const b = await createInstance(loadB);
    const profile = await a.cache.getProfile('u1');
    await vi.waitFor(async () => expect(await db.admin.exists(`${db.prefix}profile:u1`)).toBe(1));
    const ttl = await db.admin.pttl(`${db.prefix}profile:u1`);
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    expect(await b.cache.getProfile('u1')).toEqual(profile);
    expect(loadB).not.toHaveBeenCalled();
    expect(b.cache.getStats()).toMatchObject({ hits: 1, misses: 0 });
  });

  it('cross-instance invalidation: B drops its local copy when A calls invalidateUser', async () => {
    const loadA = versionedLoader();
    const loadB = versionedLoader();
    const a = await createInstance(loadA);
    const b = await createInstance(loadB);
    const remote: SessionCacheEvents['invalidated'][] = [];
    b.cache.on('invalidated', (event) => remote.push(event));

    const first = await b.cache.getProfile('u1'); // B loads and keeps a local copy
    expect(loadB).toHaveBeenCalledTimes(1);
    await db.admin.set(`${db.prefix}profile:u1`, JSON.stringify({ id: 'u1', version: 99 }), 'PX', 60_000);
    expect(await b.cache.getProfile('u1')).toEqual(first); // served locally, Redis not asked

    await a.cache.invalidateUser('u1');
    await vi.waitFor(() => expect(remote).toEqual([{ scope: 'user', id: 'u1', origin: 'remote' }]));
    expect(b.cache.getStats().remoteInvalidations).toBe(1);
    expect(await db.admin.exists(`${db.prefix}profile:u1`)).toBe(0);
    await b.cache.getProfile('u1');
    expect(loadB).toHaveBeenCalledTimes(2); // the local copy is gone: B loaded again
    expect(a.cache.getStats().remoteInvalidations).toBe(0); // A ignores its own message
  });

  it('cross-instance invalidateServer drops guild-tied profiles and conversations everywhere', async () => {
    const a = await createInstance(versionedLoader());
    const loadB = versionedLoader();
    const b = await createInstance(loadB);
    await b.cache.getProfile('alice', { guildId: 'g1' });
    await b.cache.getProfile('bob', { guildId: 'g2' });
    await b.cache.getProfile('carol'); // loaded untagged, then tied to g1 by a hit served from B's local copy
    await b.cache.getProfile('carol', { guildId: 'g1' });
    await b.cache.append('g1:general', { role: 'user', content: 'hello' }, { guildId: 'g1' });
    await b.cache.append('g2:general', { role: 'user', content: 'hi' }, { guildId: 'g2' });
    const remote: SessionCacheEvents['invalidated'][] = [];
    b.cache.on('invalidated', (event) => remote.push(event));

    const dropped = await a.cache.invalidateServer('g1');
    expect([...dropped.userIds].sort()).toEqual(['alice', 'carol']);
    expect(dropped.conversationKeys).toEqual(['g1:general']);
    await vi.waitFor(() => expect(remote).toEqual([{ scope: 'guild', id: 'g1', origin: 'remote' }]));
    expect(await b.cache.getHistory('g1:general', { kind: 'guild' })).toEqual([]);
    expect(await b.cache.getHistory('g2:general', { kind: 'guild' })).toHaveLength(1);
    loadB.mockClear();
    await b.cache.getProfile('bob');
    expect(loadB).not.toHaveBeenCalled();
    await b.cache.getProfile('alice');
    await b.cache.getProfile('carol');
    expect(loadB).toHaveBeenCalledTimes(2);
    expect(
      await db.admin.exists(`${db.prefix}guild:{g1}:users`, `${db.prefix}guild:{g1}:conversations`),
    ).toBe(0);
  });

  it('histories are shared Redis lists, trimmed to budget and limits, with a TTL', async () => {
    const a = await createInstance(versionedLoader());
    const b = await createInstance(versionedLoader());
    const message = (content: string): HistoryMessage => ({
      role: 'user',
      content: `${content}: the quick brown fox jumps over the lazy dog again and again`,
      name: 'alice',
    });
    for (let i = 0; i < 120; i += 1) await a.cache.append('dm:1', message(`message number ${i}`));
    const key = `${db.prefix}history:dm:1`;
    expect(await db.admin.llen(key)).toBeLessThan(100); // token-trimmed below the 100-message cap
    const ttl = await db.admin.pttl(key);
    expect(ttl).toBeGreaterThan(3_000_000);
    const fromB = await b.cache.getHistory('dm:1', { kind: 'dm' });
    const fromA = await a.cache.getHistory('dm:1', { kind: 'dm' });
    expect(fromB).toEqual(fromA);
    expect(fromB.at(-1)).toEqual(message('message number 119'));
    expect(Object.isFrozen(fromB[0])).toBe(true);
    // The stored tail never exceeds the larger budget (1200 tokens): same rule as the memory store.
    const all = await b.cache.getHistory('dm:1', { kind: 'guild', budgetTokens: 100_000 });
    const guild = await b.cache.getHistory('dm:1', { kind: 'guild' });
    expect(all).toEqual(guild);
    expect(fromB.length).toBeLessThan(guild.length);
  });

  it('trims at the exact token boundary in Redis as in memory', async () => {
    const redis = new Redis(REDIS_URL);
    db.onCleanup(() => redis.quit());
    const store = new RedisSessionStore({ redis, keyPrefix: db.prefix });
    const cache = new SessionCache({
      loadProfile: async (id: string) => ({ id }),
      store,
      countTokens: (text) => text.length,
      messageOverheadTokens: 0,
      historyBudgets: { dm: 5, guild: 10 },
      maxMessagesPerConversation: 4,
    });
    db.onCleanup(() => cache.close());
    for (const content of ['aaaa', 'bbb', 'cc', 'd']) await cache.append('k', { role: 'user', content });
    const stored = await cache.getHistory('k', { kind: 'guild', budgetTokens: 100 });
    expect(stored.map((m) => m.content)).toEqual(['aaaa', 'bbb', 'cc', 'd']); // exactly 10 = max budget
    expect((await cache.getHistory('k', { kind: 'guild', budgetTokens: 9 })).map((m) => m.content)).toEqual([
      'bbb',
      'cc',
      'd',
    ]);
    await cache.append('k', { role: 'user', content: 'e' });
    const after = await cache.getHistory('k', { kind: 'guild', budgetTokens: 100 });
    expect(after.map((m) => m.content)).toEqual(['bbb', 'cc', 'd', 'e']);
    expect((await cache.getHistory('k', { kind: 'dm' })).map((m) => m.content)).toEqual(['cc', 'd', 'e']);
    for (const content of ['1', '2', '3', '4', '5', '6']) await cache.append('m', { role: 'user', content });
    const capped = await cache.getHistory('m', { kind: 'guild' });
    expect(capped.map((m) => m.content)).toEqual(['3', '4', '5', '6']); // 6 tokens fit, but 4 messages at most
  });

  it('a remote invalidation during a load in flight keeps that load out of the cache', async () => {
    const a = await createInstance(versionedLoader());
    let release: (p: Profile) => void = () => {};
    const loadB = vi.fn((_userId: string) => new Promise<Profile>((resolve) => (release = resolve)));
    const b = await createInstance(loadB);
    const remote: SessionCacheEvents['invalidated'][] = [];
    b.cache.on('invalidated', (event) => remote.push(event));
    const pending = b.cache.getProfile('u1');
    await vi.waitFor(() => expect(loadB).toHaveBeenCalledTimes(1));
    await a.cache.invalidateUser('u1');
    await vi.waitFor(() => expect(remote).toHaveLength(1));
    release({ id: 'u1', version: 1 });
    expect(await pending).toEqual({ id: 'u1', version: 1 });
    expect(await db.admin.exists(`${db.prefix}profile:u1`)).toBe(0);
    const again = b.cache.getProfile('u1');
    await vi.waitFor(() => expect(loadB).toHaveBeenCalledTimes(2));
    release({ id: 'u1', version: 2 });
    expect(await again).toEqual({ id: 'u1', version: 2 });
  });

  it('the in-process copy lives localProfileTtlMs, then Redis is read again', async () => {
    const clock = new ManualClock(0);
    const redis = new Redis(REDIS_URL);
    db.onCleanup(() => redis.quit());
    const store = new RedisSessionStore<Profile>({
      redis,
      keyPrefix: db.prefix,
      localProfileTtlMs: 1_000,
      clock,
    });
    const cache = new SessionCache<Profile>({ loadProfile: versionedLoader(), store, clock });
    db.onCleanup(() => cache.close());
    await store.ready();
    await cache.getProfile('u1');
    await vi.waitFor(async () => expect(await db.admin.exists(`${db.prefix}profile:u1`)).toBe(1));
    await db.admin.set(`${db.prefix}profile:u1`, JSON.stringify({ id: 'u1', version: 42 }), 'PX', 60_000);
    clock.advance(999);
    expect(await cache.getProfile('u1')).toEqual({ id: 'u1', version: 1 });
    clock.advance(1);
    expect(await cache.getProfile('u1')).toEqual({ id: 'u1', version: 42 });
    expect(store.getStats()).toMatchObject({ profiles: 1, expirations: 1 });
  });

  it('after the subscriber reconnects (invalidations may be lost) the in-process copies are dropped', async () => {
    const redis = new Redis(REDIS_URL);
    const subscriber = new Redis(REDIS_URL);
    db.onCleanup(() => redis.quit());
    db.onCleanup(() => subscriber.quit());
    const store = new RedisSessionStore<Profile>({ redis, subscriber, keyPrefix: db.prefix });
    const cache = new SessionCache<Profile>({ loadProfile: versionedLoader(), store });
    db.onCleanup(() => cache.close());
    await store.ready();
    await cache.getProfile('u1');
    await vi.waitFor(async () => expect(await db.admin.exists(`${db.prefix}profile:u1`)).toBe(1));
    await db.admin.set(`${db.prefix}profile:u1`, JSON.stringify({ id: 'u1', version: 42 }), 'PX', 60_000);
    expect(await cache.getProfile('u1')).toEqual({ id: 'u1', version: 1 });
    const reconnected = new Promise((resolve) => subscriber.once('ready', resolve));
    subscriber.disconnect(true);
    await reconnected;
    expect(await cache.getProfile('u1')).toEqual({ id: 'u1', version: 42 });
  });

  it('a given subscriber is left open; the store only unsubscribes', async () => {
    const redis = new Redis(REDIS_URL);
    const subscriber = new Redis(REDIS_URL);
    db.onCleanup(() => redis.quit());
    db.onCleanup(() => subscriber.quit());
    const store = new RedisSessionStore({ redis, subscriber, keyPrefix: db.prefix });
    await store.ready();
    await store.close();
    expect(subscriber.status).toBe('ready');
    expect(redis.status).toBe('ready');
  });

  it('a Redis failure degrades: profiles to the loader, history to what this process appended', async () => {
    const redis = new Redis(REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    const subscriber = new Redis(REDIS_URL);
    db.onCleanup(async () => redis.disconnect());
    db.onCleanup(() => subscriber.quit());
    const store = new RedisSessionStore<Profile>({ redis, subscriber, keyPrefix: db.prefix });
    const load = versionedLoader();
    const cache = new SessionCache<Profile>({ loadProfile: load, store });
    db.onCleanup(() => cache.close());
    const storeErrors: SessionCacheEvents['storeError'][] = [];
    cache.on('storeError', (event) => storeErrors.push(event));
    expect(await cache.getProfile('u1')).toEqual({ id: 'u1', version: 1 });
    await vi.waitFor(() => expect(storeErrors.map((e) => e.operation)).toEqual(['getProfile', 'setProfile']));
    expect(await cache.getHistory('k', { kind: 'dm' })).toEqual([]);
    await cache.append('k', { role: 'user', content: 'kept locally' });
    expect(await cache.getHistory('k', { kind: 'dm' })).toEqual([{ role: 'user', content: 'kept locally' }]);
    expect(storeErrors.map((e) => e.operation).slice(2)).toEqual([
      'getHistory',
      'appendHistory',
      'getHistory',
    ]);
    expect(storeErrors[2]!.error).toBeInstanceOf(SessionStoreError);
    expect(storeErrors[2]!.error).toMatchObject({
      code: 'SESSION_STORE',
      operation: 'getHistory',
      retryable: true,
    });
    expect(cache.getStats()).toMatchObject({ storeErrors: 5, storeFallbacks: 5 });
  });

  it('works on fail-fast clients (enableOfflineQueue: false): it subscribes once connected', async () => {
    const redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    db.onCleanup(() => redis.quit());
    const store = new RedisSessionStore<Profile>({ redis, keyPrefix: db.prefix });
    db.onCleanup(() => store.close());
    await store.ready();
    const published = new Promise((resolve) => store.onInvalidation(resolve));
    await db.admin.publish(
      `${db.prefix}invalidate`,
      JSON.stringify({ origin: 'x', scope: 'user', id: 'u', userIds: ['u'] }),
    );
    expect(await published).toEqual({ scope: 'user', id: 'u', userIds: ['u'] });
  });

  it('validates its options', () => {
    expect(() => new RedisSessionStore({ redis: {} as never })).toThrow(InvalidOptionsError);
  });
});
