/**
 * DiscordGlobalLimit: at most `perSecond` sends in any rolling second — in process (driven by a
 * ManualClock), and shared by several processes through real Redis, under discord.js's REST
 * (`makeRequest`) against the fake Discord, which counts global-limit violations per token.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordGlobalLimit, InvalidOptionsError } from 'chatlane';
import { FakeDiscord, ManualClock } from 'chatlane/testing';
import { DefaultRestOptions, REST } from 'discord.js';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { REDIS_URL, useRedisFixture } from './helpers/redis-fixture.ts';

const db = useRedisFixture();
const TOKEN = 'limit-token';

/** Lets pending promise callbacks run (the limiter's line is a promise chain; timers are manual). */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('DiscordGlobalLimit in process', () => {
  it('lets perSecond sends through, then one more each time the oldest leaves the rolling second', async () => {
    const clock = new ManualClock();
    const limit = new DiscordGlobalLimit({ perSecond: 3, clock });
    const granted: number[] = [];
    for (let i = 0; i < 5; i += 1) void limit.acquire().then(() => granted.push(i));
    await flush();
    expect(granted).toEqual([0, 1, 2]);
    clock.advance(999);
    await flush();
    expect(granted).toEqual([0, 1, 2]);
    clock.advance(1);
    await flush();
    expect(granted).toEqual([0, 1, 2, 3, 4]);
  });

  it('an aborted wait rejects with the signal’s reason and frees its turn', async () => {
    const clock = new ManualClock();
    const limit = new DiscordGlobalLimit({ perSecond: 1, clock });
    await limit.acquire();
    const controller = new AbortController();
    const waiting = limit.acquire(controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    const next = limit.acquire();
    clock.advance(1_000);
    await expect(next).resolves.toBeUndefined();
  });

  it('with Redis unreachable, sends go on under this process’s own window', async () => {
    const redis = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    const clock = new ManualClock();
    const limit = new DiscordGlobalLimit({ redis, perSecond: 2, clock });
    const granted: number[] = [];
    for (let i = 0; i < 3; i += 1) void limit.acquire().then(() => granted.push(i));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(granted).toEqual([0, 1]);
    clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(granted).toEqual([0, 1, 2]);
    redis.disconnect();
  });

  it('validates its options', () => {
    expect(() => new DiscordGlobalLimit({ perSecond: 0 })).toThrow(InvalidOptionsError);
    expect(() => new DiscordGlobalLimit({ perSeconds: 5 } as never)).toThrow(/perSecond/);
  });
});

describe('DiscordGlobalLimit shared through Redis (two processes, one bot token)', () => {
  /** Two discord.js RESTs with their own cap lifted, as two processes would be, sending at once. */
  async function twoProcesses(shared: boolean): Promise<number> {
    const discord = await FakeDiscord.start({ token: TOKEN, bucketLimit: 10_000 });
    const redis = shared ? [new Redis(REDIS_URL), new Redis(REDIS_URL)] : [];
    try {
      const rests = [0, 1].map((i) => {
        const limit = new DiscordGlobalLimit(
          shared ? { redis: redis[i]!, key: `${db.prefix}discord-global` } : {},
        );
        return new REST({
          api: discord.apiUrl,
          globalRequestsPerSecond: 1_000_000,
          makeRequest: limit.wrap(DefaultRestOptions.makeRequest),
        }).setToken(TOKEN);
      });
      await Promise.all(rests.flatMap((rest) => Array.from({ length: 60 }, () => rest.get('/users/@me'))));
      return discord.globalLimitViolations;
    } finally {
      await Promise.all(redis.map((r) => r.quit()));
      await discord.close();
      await sleep(0);
    }
  }

  it('two processes each with their own limit exceed Discord’s; sharing it through Redis, they never do', async () => {
    expect(await twoProcesses(false)).toBeGreaterThan(0);
    expect(await twoProcesses(true)).toBe(0);
  });
});
