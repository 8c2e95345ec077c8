import {
  type CorruptEntry,
  type HistoryMessage,
  ProfileLoadError,
  RedisSessionStore,
  SessionCache,
  type SessionCacheOptions,
} from 'chatlane';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { REDIS_URL, useRedisFixture } from './helpers/redis-fixture.ts';

interface Profile {
  id: string;
  version: number;
}

const db = useRedisFixture();

async function instance(options: Partial<SessionCacheOptions<Profile>> = {}) {
  const redis = new Redis(REDIS_URL);
  const store = new RedisSessionStore<Profile>({ redis, keyPrefix: db.prefix, localProfileTtlMs: 0 });
  let version = 0;
  const load = vi.fn(async (id: string): Promise<Profile> => ({ id, version: ++version }));
  const cache = new SessionCache<Profile>({
    loadProfile: load,
    store,
    countTokens: (text) => text.length,
    messageOverheadTokens: 0,
    ...options,
  });
  db.onCleanup(() => redis.quit());
  db.onCleanup(() => cache.close());
  await store.ready();
  const corrupt: CorruptEntry[] = [];
  const storeErrors: string[] = [];
  cache.on('corruptEntry', (entry) => corrupt.push(entry));
  cache.on('storeError', ({ operation }) => storeErrors.push(operation));
  return { cache, load, corrupt, storeErrors };
}

const entry = (content: string, tokens = content.length) =>
  `${tokens}:${JSON.stringify({ role: 'user', content } satisfies HistoryMessage)}`;

describe('corrupt profiles in Redis', () => {
  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"alice"'],
    ['an array', '[1,2]'],
    ['not JSON', '{"id":'],
  ])('a profile stored as %s is a miss: the loader runs and the key is repaired', async (_name, raw) => {
    const { cache, load, corrupt, storeErrors } = await instance();
    await db.admin.set(`${db.prefix}profile:u1`, raw, 'PX', 60_000);
    expect(await cache.getProfile('u1')).toEqual({ id: 'u1', version: 1 });
    expect(corrupt).toEqual([{ kind: 'profile', id: 'u1', reason: expect.any(String) }]);
    await vi.waitFor(async () =>
      expect(JSON.parse((await db.admin.get(`${db.prefix}profile:u1`)) ?? 'null')).toEqual({
        id: 'u1',
        version: 1,
      }),
    );
    expect(await cache.getProfile('u1')).toEqual({ id: 'u1', version: 1 });
    expect(load).toHaveBeenCalledTimes(1);
    expect(storeErrors).toEqual([]);
    expect(cache.getStats().corruptEntries).toBe(1);
  });

  it('a profile key of the wrong Redis type is replaced, not an error on every call', async () => {
    const { cache, corrupt, storeErrors } = await instance();
    await db.admin.rpush(`${db.prefix}profile:u1`, 'x');
    await db.admin.set(`${db.prefix}guild:{g1}:users`, 'not a set');
    expect(await cache.getProfile('u1', { guildId: 'g1' })).toEqual({ id: 'u1', version: 1 });
    expect(corrupt.map((c) => c.kind)).toEqual(['profile']);
    await vi.waitFor(async () => expect(await db.admin.type(`${db.prefix}profile:u1`)).toBe('string'));
    expect(await db.admin.type(`${db.prefix}guild:{g1}:users`)).toBe('set');
    expect(await cache.invalidateServer('g1')).toEqual({ userIds: ['u1'], conversationKeys: [] });
    expect(storeErrors).toEqual([]);
  });

  it('profileSchema: a stored profile failing it is a miss; a loader result failing it is a ProfileLoadError', async () => {
    const profileSchema = z.object({ id: z.string(), version: z.number() });
    const { cache, corrupt } = await instance({ profileSchema });
    await db.admin.set(`${db.prefix}profile:u1`, '{"id":"u1","version":"one"}', 'PX', 60_000);
    expect(await cache.getProfile('u1')).toEqual({ id: 'u1', version: 1 });
    expect(corrupt).toEqual([{ kind: 'profile', id: 'u1', reason: expect.stringContaining('number') }]);
    const bad = await instance({ loadProfile: async () => 42 as unknown as Profile });
    await expect(bad.cache.getProfile('u2')).rejects.toBeInstanceOf(ProfileLoadError);
  });
});

describe('corrupt histories in Redis', () => {
  it('garbage elements and non-numeric token counts are dropped, the budget holds, the list is repaired', async () => {
    const { cache, corrupt, storeErrors } = await instance({ historyBudgets: { dm: 10, guild: 20 } });
    const key = `${db.prefix}history:c`;
    await db.admin.rpush(
      key,
      entry('aaaa'),
      'garbage',
      `NaN:${JSON.stringify({ role: 'user', content: 'x'.repeat(500) })}`,
      entry('bbb'),
      '3:{oops',
      '2:42',
      entry('cc'),
    );
    await db.admin.pexpire(key, 60_000);
    const history = await cache.getHistory('c', { kind: 'dm' });
    expect(history.map((m) => m.content)).toEqual(['aaaa', 'bbb', 'cc']); // 9 tokens ≤ 10
    expect(corrupt.map((c) => c.reason)).toEqual([
      'element 5: not a chat message (Invalid input: expected object, received number)',
      'element 4: not JSON',
      'element 2: not "<tokens>:<json>"',
      'element 1: not "<tokens>:<json>"',
    ]);
    expect(await db.admin.lrange(key, 0, -1)).toEqual([entry('aaaa'), entry('bbb'), entry('cc')]);
    await cache.append('c', { role: 'assistant', content: 'dd' });
    expect((await cache.getHistory('c', { kind: 'dm' })).map((m) => m.content)).toEqual(['bbb', 'cc', 'dd']);
    expect(storeErrors).toEqual([]);
  });

  it('append drops elements without a token count (the trim script no longer fails on them)', async () => {
    const { cache, corrupt, storeErrors } = await instance();
    const key = `${db.prefix}history:c`;
    await db.admin.rpush(key, entry('old'), 'abc:{"role":"user","content":"x"}', 'no prefix at all');
    await cache.append('c', { role: 'user', content: 'new' });
    expect(await db.admin.lrange(key, 0, -1)).toEqual([entry('old'), entry('new')]);
    expect(corrupt).toEqual([{ kind: 'history', id: 'c', reason: '2 element(s) not "<tokens>:<json>"' }]);
    expect((await cache.getHistory('c', { kind: 'dm' })).map((m) => m.content)).toEqual(['old', 'new']);
    expect(storeErrors).toEqual([]);
  });

  it('a history key of the wrong Redis type reads as empty and is replaced by the next append', async () => {
    const { cache, corrupt, storeErrors } = await instance();
    const key = `${db.prefix}history:c`;
    await db.admin.set(key, 'a string, not a list');
    await db.admin.sadd(`${db.prefix}guild:{g1}:conversations`, 'c');
    await db.admin.set(`${db.prefix}guild:{g1}:users`, 'not a set');
    expect(await cache.getHistory('c', { kind: 'dm' })).toEqual([]);
    expect(corrupt).toEqual([{ kind: 'history', id: 'c', reason: 'a Redis string, not a list' }]);
    expect(await db.admin.exists(key)).toBe(0);
    await db.admin.set(key, 'again');
    await cache.append('c', { role: 'user', content: 'hi' }, { guildId: 'g1' });
    expect(await db.admin.lrange(key, 0, -1)).toEqual([entry('hi')]);
    expect(await cache.invalidateServer('g1')).toEqual({ userIds: [], conversationKeys: ['c'] });
    await cache.clearHistory('c');
    expect(storeErrors).toEqual([]);
  });
});
