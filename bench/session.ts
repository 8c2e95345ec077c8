/**
 * SessionCache microbenchmark: profile hits, appends, history reads (ops/s, µs/op), and heap per
 * 1,000 active users at full budgets (SPEC goal ≤ 10 MB), plus heap after a churn of appends.
 *
 *   npx node --conditions=chatlane-source --expose-gc bench/session.ts
 */
import { randomUUID } from 'node:crypto';
import { type HistoryMessage, RedisSessionStore, SessionCache } from 'chatlane';
import { seededRandom } from 'chatlane/testing';
import { Redis } from 'ioredis';
import { scaled } from './scale.ts';

const USERS = scaled(1_000, 20);
const HIT_OPS = scaled(300_000, 100);
const APPEND_OPS = scaled(100_000, 100);
const HISTORY_OPS = scaled(50_000, 100);
const CHURN_APPENDS = scaled(1_000_000, 1_000);
const REDIS_OPS = scaled(5_000, 20);
const REDIS_USERS = scaled(100, 5);
const WORDS = (
  'the a to and of in is it you that was for on are with as I his they be at one have this from or had by ' +
  'hot word but what some we can out other were all there when up use your how said an each she which do ' +
  'their time if will way about many then them write would like so these her long make thing see him two ' +
  'discord model latency cache token budget stream reply server guild channel message profile question'
).split(' ');

interface Profile {
  id: string;
  name: string;
  locale: string;
  tier: 'free' | 'pro';
  preferences: { persona: string; language: string; nsfw: boolean };
  joinedAt: number;
}

const random = seededRandom(42);

function sentence(words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i += 1) parts.push(WORDS[Math.floor(random() * WORDS.length)]!);
  // A fresh flat string (not a rope or a slice of a bigger one), as from a parsed Discord payload.
  return JSON.parse(JSON.stringify(parts.join(' '))) as string;
}

function makeProfile(userId: string): Profile {
  return {
    id: userId,
    name: `user-${userId}`,
    locale: 'en-US',
    tier: random() < 0.2 ? 'pro' : 'free',
    preferences: { persona: 'friendly', language: 'en', nsfw: false },
    joinedAt: 1_700_000_000_000 + Math.floor(random() * 1e9),
  };
}

function message(i: number): HistoryMessage {
  return { role: i % 2 === 0 ? 'user' : 'assistant', content: sentence(12 + Math.floor(random() * 30)) };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Row {
  name: string;
  ops: number;
  ms: number;
}

async function timed(name: string, ops: number, run: (i: number) => Promise<unknown>): Promise<Row> {
  for (let i = 0; i < Math.min(ops, 5_000); i += 1) await run(i); // warm-up
  const started = performance.now();
  for (let i = 0; i < ops; i += 1) await run(i);
  return { name, ops, ms: performance.now() - started };
}

function newCache(): SessionCache<Profile> {
  return new SessionCache<Profile>({ loadProfile: async (userId) => makeProfile(userId) });
}

/** Fills USERS users: one profile and one guild conversation at the full stored budget each. */
async function fill(cache: SessionCache<Profile>): Promise<void> {
  for (let u = 0; u < USERS; u += 1) {
    await cache.getProfile(`u${u}`, { guildId: `g${u % 10}` });
    for (let m = 0; m < 60; m += 1)
      await cache.append(`g${u % 10}:c${u}`, message(m), { guildId: `g${u % 10}` });
  }
}

async function speedRows(): Promise<Row[]> {
  const cache = newCache();
  await fill(cache);
  const rows = [
    await timed('getProfile (hit)', HIT_OPS, (i) => cache.getProfile(`u${i % USERS}`)),
    await timed('append', APPEND_OPS, (i) => cache.append(`g${i % 10}:c${i % USERS}`, message(i))),
    await timed('getHistory (guild, 1200 tokens)', HISTORY_OPS, (i) =>
      cache.getHistory(`g${i % 10}:c${i % USERS}`, { kind: 'guild' }),
    ),
  ];
  await cache.close();
  return rows;
}

async function heapRows(): Promise<string[]> {
  const before = heapUsed();
  const cache = newCache();
  await fill(cache);
  const full = heapUsed();
  const history = await cache.getHistory('g0:c0', { kind: 'guild', budgetTokens: 100_000 });
  for (let i = 0; i < CHURN_APPENDS; i += 1) await cache.append(`g${i % 10}:c${i % USERS}`, message(i));
  const churned = heapUsed();
  await cache.close();
  const perUser = (full - before) / USERS;
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  return [
    `| heap per 1,000 active users (profile + ${history.length}-message guild history at 1200 tokens) | ${mb(perUser * 1_000)} MB (${Math.round(perUser)} B/user) | ≤ 10 MB |`,
    `| heap after ${CHURN_APPENDS.toLocaleString('en')} more appends (same users) | ${mb(churned - before)} MB (${churned >= full ? '+' : ''}${mb(churned - full)} MB) | flat |`,
  ];
}

/** Opens a Redis connection, or `undefined` when none answers (the Redis rows are then skipped). */
async function connectRedis(): Promise<Redis | undefined> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return redis;
  } catch {
    redis.disconnect();
    return undefined;
  }
}

async function redisRows(): Promise<Row[] | undefined> {
  const redis = await connectRedis();
  if (!redis) return undefined;
  const keyPrefix = `chatlane-bench:${randomUUID()}:`;
  const store = new RedisSessionStore<Profile>({ redis, keyPrefix });
  const cache = new SessionCache<Profile>({ loadProfile: async (userId) => makeProfile(userId), store });
  try {
    await store.ready();
    for (let u = 0; u < REDIS_USERS; u += 1) {
      await cache.getProfile(`u${u}`);
      for (let m = 0; m < 60; m += 1) await cache.append(`c${u}`, message(m));
    }
    return [
      await timed('Redis: getProfile (hit, local copy)', REDIS_OPS * 10, (i) =>
        cache.getProfile(`u${i % REDIS_USERS}`),
      ),
      await timed('Redis: append (Lua, 1 round trip)', REDIS_OPS, (i) =>
        cache.append(`c${i % REDIS_USERS}`, message(i)),
      ),
      await timed('Redis: getHistory (guild, 1200 tokens)', REDIS_OPS, (i) =>
        cache.getHistory(`c${i % REDIS_USERS}`, { kind: 'guild' }),
      ),
    ];
  } finally {
    await cache.close();
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}

/** Runs the SessionCache benchmark; resolves with a markdown table. */
export async function runSessionBench(): Promise<string> {
  const heap = await heapRows();
  const rows = await speedRows();
  const redis = await redisRows();
  const lines = [
    `SessionCache (MemorySessionStore unless marked Redis; default estimator; sequential awaits), Node ${process.version}${(globalThis as { gc?: unknown }).gc ? '' : ' — run with --expose-gc for exact heap numbers'}`,
    '',
    '| operation | ops/s | µs/op |',
    '|---|---:|---:|',
    ...[...rows, ...(redis ?? [])].map(
      (r) =>
        `| ${r.name} | ${Math.round((r.ops / r.ms) * 1_000).toLocaleString('en')} | ${((r.ms * 1_000) / r.ops).toFixed(2)} |`,
    ),
    ...(redis ? [] : ['| Redis rows | skipped: no Redis at REDIS_URL | |']),
    '',
    '| memory | measured | goal |',
    '|---|---:|---:|',
    ...heap,
  ];
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  console.log(await runSessionBench());
}
