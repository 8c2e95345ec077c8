/**
 * The one rolling-window rate limiter of chatlane: at most `limit` takes in any rolling
 * `windowMs`, in process or shared by every process through Redis (a sorted set of take times
 * per key, one Lua script, Redis `TIME`). While Redis fails, the process's own window decides, so
 * the work goes on (each process held to the limit on its own). Takes wait in line, first come
 * first served. Used by `DiscordGlobalLimit` and by `RedisOpenRouterState`'s request bucket.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { raceAbort } from './abort.ts';
import type { Clock } from './clock.ts';
import { LuaScript } from './redis.ts';

/** KEYS: window · ARGV: limit, windowMs, member → 0 when a slot was taken, else ms to wait. */
const TAKE = new LuaScript(`
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local windowMs = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], windowMs * 2)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + windowMs - now)
`);

/** Settings of a {@link RollingLimit}. */
export interface RollingLimitOptions {
  limit: number;
  windowMs: number;
  clock: Clock;
  /** Shared through this Redis (or Cluster) under `key`; in process without it. */
  redis?: unknown;
  key: string;
}

export class RollingLimit {
  readonly #options: RollingLimitOptions;
  readonly #owner = randomUUID();
  /** In process: take times of the current window, oldest first. */
  readonly #taken: number[] = [];
  #line: Promise<void> = Promise.resolve();
  #count = 0;

  constructor(options: RollingLimitOptions) {
    this.#options = options;
  }

  /** Resolves when a slot is free; rejects with the signal's reason when it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#line.then(() => this.#take(signal));
    this.#line = turn.catch(() => {});
    return turn;
  }

  /** Takes a slot if one is free now (true); never waits (false when the window is full). */
  async tryAcquire(): Promise<boolean> {
    return (this.#options.redis ? await this.#takeShared() : this.#takeLocal()) === 0;
  }

  async #take(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = this.#options.redis ? await this.#takeShared() : this.#takeLocal();
      if (waitMs === 0) return;
      await this.#sleep(waitMs, signal);
    }
  }

  #takeLocal(): number {
    const { limit, windowMs, clock } = this.#options;
    const now = clock.now();
    while (this.#taken.length > 0 && this.#taken[0]! <= now - windowMs) this.#taken.shift();
    if (this.#taken.length < limit) {
      this.#taken.push(now);
      return 0;
    }
    return Math.max(1, this.#taken[0]! + windowMs - now);
  }

  async #takeShared(): Promise<number> {
    this.#count += 1;
    const { limit, windowMs, key } = this.#options;
    const args = [limit, windowMs, `${this.#owner}:${this.#count}`];
    try {
      return Number(await TAKE.run(this.#options.redis as Redis, [key], args));
    } catch {
      return this.#takeLocal();
    }
  }

  /** Ref'd (a caller waits for it); cleared when `signal` aborts the wait. */
  async #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const { clock } = this.#options;
    let timer: unknown;
    const slept = new Promise<void>((resolve) => {
      timer = clock.setTimeout(resolve, ms);
    });
    try {
      await raceAbort(slept, { signal, error: (reason) => reason });
    } finally {
      clock.clearTimeout(timer);
    }
  }
}
