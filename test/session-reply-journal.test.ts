/**
 * RedisReplyJournal on real Redis: one process accepts a message (the others refuse it, also
 * after it completed), a live process keeps its leases, a dead one's messages are taken over by a
 * peer with their payload, an old message is handed over as expired, and a message that keeps
 * failing is given up after maxAttempts.
 */
import {
  InvalidOptionsError,
  type JournalEntry,
  RedisReplyJournal,
  type RedisReplyJournalEvents,
  type RedisReplyJournalOptions,
} from 'chatlane';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { REDIS_URL, useRedisFixture } from './helpers/redis-fixture.ts';

interface Payload {
  channelId: string;
  content: string;
}

const db = useRedisFixture();
const FAST = { leaseMs: 300, pollIntervalMs: 50 };

function journal(options: Partial<RedisReplyJournalOptions> = {}): RedisReplyJournal<Payload> {
  const redis = new Redis(REDIS_URL);
  const created = new RedisReplyJournal<Payload>({ redis, keyPrefix: db.prefix, ...FAST, ...options });
  db.onCleanup(() => redis.quit());
  db.onCleanup(() => created.close());
  return created;
}

const payload = (n: number): Payload => ({ channelId: `c${n}`, content: `message ${n}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RedisReplyJournal (real Redis)', () => {
  it('accepts a message in one process only, and not again once completed', async () => {
    const a = journal();
    const b = journal();
    const results = await Promise.all([a.accept('m1', payload(1)), b.accept('m1', payload(1))]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await (results[0] ? a : b).complete('m1');
    expect(await a.accept('m1', payload(1))).toBe(false); // a replay after the answer
    expect(await b.accept('m2', payload(2))).toBe(true);
  });

  it('a live process keeps its messages; a dead one’s are taken over by a peer, payload intact', async () => {
    const live = journal();
    const dying = journal();
    const peer = journal();
    const taken: Array<JournalEntry<Payload>> = [];
    peer.recover(async (entry) => {
      taken.push(entry);
    });
    expect(await live.accept('kept', payload(1))).toBe(true);
    expect(await dying.accept('lost', payload(2))).toBe(true);
    await dying.close(); // stops renewing: as a SIGKILL would
    await vi.waitFor(() => expect(taken.map((e) => e.id)).toEqual(['lost']), { timeout: 3_000 });
    expect(taken[0]).toMatchObject({ id: 'lost', payload: payload(2), attempts: 2, expired: false });
    await sleep(FAST.leaseMs * 2); // `kept` is renewed by its live process all along
    expect(taken.map((e) => e.id)).toEqual(['lost']);
    expect(await peer.accept('lost', payload(2))).toBe(false); // completed by the takeover
    await live.complete('kept');
  });

  it('an old message is handed over as expired, to apologise instead of answering late', async () => {
    const dying = journal();
    const peer = journal({ maxAgeMs: 100 });
    const recovered: Array<RedisReplyJournalEvents['recovered']> = [];
    peer.on('recovered', (event) => recovered.push(event));
    const entries: Array<JournalEntry<Payload>> = [];
    peer.recover(async (entry) => {
      entries.push(entry);
    });
    await dying.accept('old', payload(3));
    await dying.close();
    await vi.waitFor(() => expect(entries).toHaveLength(1), { timeout: 3_000 });
    expect(entries[0]).toMatchObject({ id: 'old', expired: true });
    expect(entries[0]!.ageMs).toBeGreaterThanOrEqual(FAST.leaseMs);
    expect(recovered).toEqual([{ id: 'old', attempts: 2, ageMs: entries[0]!.ageMs, expired: true }]);
  });

  it('a handler that keeps failing is retried on later leases, then given up after maxAttempts', async () => {
    const dying = journal();
    const peer = journal({ maxAttempts: 3 });
    const abandoned: Array<RedisReplyJournalEvents['abandoned']> = [];
    peer.on('abandoned', (event) => abandoned.push(event));
    const handler = vi.fn(async () => {
      throw new Error('still failing');
    });
    peer.recover(handler);
    await dying.accept('doomed', payload(4));
    await dying.close();
    await vi.waitFor(() => expect(abandoned).toEqual([{ id: 'doomed', attempts: 3 }]), { timeout: 5_000 });
    expect(handler).toHaveBeenCalledTimes(2); // attempts 2 and 3 (the first was the dead process's)
    expect(await peer.accept('doomed', payload(4))).toBe(false);
  });

  it('validates its options', () => {
    const redis = new Redis({ lazyConnect: true });
    expect(() => new RedisReplyJournal({ redis, leaseMs: 100, pollIntervalMs: 100 })).toThrow(
      /pollIntervalMs/,
    );
    expect(() => new RedisReplyJournal({ redis, leaseMS: 100 } as never)).toThrow(InvalidOptionsError);
    expect(() => new RedisReplyJournal({ redis: {} as never })).toThrow(/redis/);
    redis.disconnect();
  });
});
