/**
 * chatlane on a real 3-node Redis Cluster that the test starts itself: every script runs
 * in one hash slot (a guild's two index sets share the tag `{guildId}`; profiles and histories
 * are single keys; the journal's, breakers' and global limit's keys carry one tag each), so the
 * session store (profiles, histories, guild invalidation, pub/sub, message claims), the reply
 * journal, shared breakers and DiscordGlobalLimit work across nodes. Never skipped: CI has
 * `redis-server`.
 */
import {
  DiscordGlobalLimit,
  OpenRouterClient,
  RedisOpenRouterState,
  RedisReplyJournal,
  RedisSessionStore,
  SessionCache,
  type SessionCacheEvents,
} from 'chatlane';
import { FakeOpenRouter } from 'chatlane/testing';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PrivateRedisCluster } from './helpers/redis-cluster.ts';

interface Profile {
  id: string;
  version: number;
}

let cluster: PrivateRedisCluster;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  cluster = await PrivateRedisCluster.start();
}, 30_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await cluster?.stop();
});

async function instance(prefix: string) {
  let version = 0;
  const loadProfile = vi.fn(async (userId: string): Promise<Profile> => ({ id: userId, version: ++version }));
  const redis = cluster.client();
  const store = new RedisSessionStore<Profile>({ redis, keyPrefix: prefix });
  const cache = new SessionCache<Profile>({ loadProfile, store });
  closers.push(
    () => redis.quit(),
    () => cache.close(),
  );
  await store.ready();
  return { redis, cache, loadProfile };
}

/** Keys under `prefix` on each master node (SCAN per node). */
async function keysPerNode(redis: Cluster, prefix: string): Promise<string[][]> {
  return Promise.all(redis.nodes('master').map((node) => node.keys(`${prefix}*`)));
}

describe('chatlane on a 3-node Redis Cluster', () => {
  it('profiles, histories and guild invalidation work across nodes and processes', async () => {
    const prefix = 'cl1:';
    const a = await instance(prefix);
    const b = await instance(prefix);
    const users = Array.from({ length: 12 }, (_, i) => `user${i}`);
    for (const [i, user] of users.entries()) {
      await a.cache.getProfile(user, { guildId: i % 2 === 0 ? 'g1' : 'g2' });
      const guildId = i % 2 === 0 ? 'g1' : 'g2';
      await a.cache.append(`${guildId}:c${i}`, { role: 'user', content: `hello ${i}` }, { guildId });
    }
    // The keys really are spread: every node holds some.
    const perNode = await keysPerNode(a.redis, prefix);
    expect(perNode.every((keys) => keys.length > 0)).toBe(true);

    // B reads what A wrote, from Redis (its loader never runs).
    expect(await b.cache.getProfile('user3')).toEqual({ id: 'user3', version: 4 });
    expect(b.loadProfile).not.toHaveBeenCalled();
    expect(await b.cache.getHistory('g2:c3', { kind: 'guild' })).toEqual([
      { role: 'user', content: 'hello 3' },
    ]);

    // invalidateServer from B: g1's profiles and conversations gone on every node, A told by pub/sub.
    const remote: SessionCacheEvents['invalidated'][] = [];
    a.cache.on('invalidated', (event) => remote.push(event));
    const dropped = await b.cache.invalidateServer('g1');
    expect([...dropped.userIds].sort()).toEqual(users.filter((_, i) => i % 2 === 0).sort());
    expect(dropped.conversationKeys).toHaveLength(6);
    await vi.waitFor(() => expect(remote).toEqual([{ scope: 'guild', id: 'g1', origin: 'remote' }]));
    const left = (await keysPerNode(a.redis, prefix)).flat();
    expect(left.filter((key) => key.includes('g1') || /user(0|2|4|6|8|10)$/.test(key))).toEqual([]);
    expect(await a.cache.getHistory('g1:c0', { kind: 'guild' })).toEqual([]);
    expect(await a.cache.getHistory('g2:c1', { kind: 'guild' })).toHaveLength(1);
    a.loadProfile.mockClear();
    await a.cache.getProfile('user0'); // dropped: loaded again
    await a.cache.getProfile('user1'); // g2: still there
    expect(a.loadProfile).toHaveBeenCalledTimes(1);
  });

  it('a message is claimed once across processes', async () => {
    const a = await instance('cl2:');
    const b = await instance('cl2:');
    const ids = Array.from({ length: 20 }, (_, i) => `m${i}`);
    const claims = await Promise.all(
      ids.flatMap((id) => [a.cache.claimMessage(id), b.cache.claimMessage(id)]),
    );
    expect(claims.filter(Boolean)).toHaveLength(ids.length);
  });

  it('the reply journal, shared breakers and the global limit run on the cluster too', async () => {
    const redis = cluster.client();
    closers.push(() => redis.quit());
    // Journal: accepted once, taken over after its process stopped renewing.
    const dying = new RedisReplyJournal<{ n: number }>({
      redis,
      keyPrefix: 'cl3:',
      leaseMs: 200,
      pollIntervalMs: 50,
    });
    const peer = new RedisReplyJournal<{ n: number }>({
      redis,
      keyPrefix: 'cl3:',
      leaseMs: 200,
      pollIntervalMs: 50,
    });
    closers.push(() => peer.close());
    const taken: number[] = [];
    peer.recover(async (entry) => {
      taken.push(entry.payload.n);
    });
    expect(await dying.accept('m1', { n: 1 })).toBe(true);
    expect(await peer.accept('m1', { n: 1 })).toBe(false);
    await dying.close();
    await vi.waitFor(() => expect(taken).toEqual([1]), { timeout: 3_000 });

    // Shared breakers: opened by one client, skipped by the other.
    const fake = await FakeOpenRouter.start();
    closers.push(() => fake.close());
    fake.script('primary', { status: 503 });
    const states = [0, 1].map(() => new RedisOpenRouterState({ redis, keyPrefix: 'cl3:' }));
    const clients = states.map(
      (sharedState) =>
        new OpenRouterClient({
          apiKey: 'k',
          baseUrl: fake.baseUrl,
          models: ['primary', 'fallback'],
          maxRetries: 0,
          sharedState,
        }),
    );
    for (const [i, client] of clients.entries())
      closers.push(
        () => client.close(),
        () => states[i]!.close(),
      );
    await Promise.all(states.map((state) => state.ready()));
    await clients[0]!.chat({ messages: [{ role: 'user', content: 'hi' }] });
    await clients[0]!.chat({ messages: [{ role: 'user', content: 'hi' }] });
    await vi.waitFor(() => expect(clients[1]!.getStats().models.primary?.breaker).toBe('open'));

    // Global limit: a rolling window in one slot.
    const limit = new DiscordGlobalLimit({ redis, key: 'cl3:discord-global', perSecond: 5 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => limit.acquire()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // the 6th waited for the window to roll
  });
});
