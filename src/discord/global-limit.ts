/**
 * Discord's global rate limit (50 requests/s per bot token) held for every process of a bot
 * together. discord.js counts it per process, in fixed windows; a bot running several processes
 * (shards) needs one count, and one that never puts more than the limit in *any* second (fixed
 * windows on both sides never line up). This is a rolling-window limiter: in process, or shared
 * through Redis (one sorted set of send times per key, one Lua script, Redis `TIME`). Plug it in
 * under discord.js's REST with {@link DiscordGlobalLimit.wrap} (`makeRequest`), in every process
 * or in the `@discordjs/proxy` they all send through.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  DISCORD_GLOBAL_REQUESTS_PER_SECOND,
  DISCORD_GLOBAL_WINDOW_MS,
  REDIS_KEY_PREFIX,
} from '../constants.ts';
import { raceAbort } from '../internal/abort.ts';
import { type Clock, clockOption, systemClock } from '../internal/clock.ts';
import { parseOptions } from '../internal/options.ts';
import { LuaScript, redisClientOption } from '../internal/redis.ts';
import type { RedisClientLike } from '../session/redis-store-options.ts';

/** The shared window's default key. */
const DISCORD_GLOBAL_LIMIT_KEY = `${REDIS_KEY_PREFIX}discord-global`;

/** Every value default of {@link DiscordGlobalLimitOptions} (the real clock is `clock`'s). */
export const DEFAULT_DISCORD_GLOBAL_LIMIT_OPTIONS = Object.freeze({
  perSecond: DISCORD_GLOBAL_REQUESTS_PER_SECOND,
  key: DISCORD_GLOBAL_LIMIT_KEY,
} as const);

/** Options of {@link DiscordGlobalLimit}. */
export interface DiscordGlobalLimitOptions {
  /** Sends per rolling second, all processes together. @default 48 (DISCORD_GLOBAL_REQUESTS_PER_SECOND) */
  perSecond?: number;
  /**
   * Share the window with the bot's other processes through this Redis (or Cluster); while Redis
   * fails, each process keeps its own window. @default this process only
   */
  redis?: RedisClientLike;
  /** Key of the shared window (one per bot token). @default 'chatlane:discord-global' */
  key?: string;
  /** Time and waits (in process). @default the real clock */
  clock?: Clock;
}

/** Validates {@link DiscordGlobalLimitOptions}. */
export const globalLimitOptionsSchema = z.strictObject({
  perSecond: z.number().int().min(1).default(DISCORD_GLOBAL_REQUESTS_PER_SECOND),
  redis: redisClientOption.optional(),
  key: z.string().min(1).default(DISCORD_GLOBAL_LIMIT_KEY),
  clock: clockOption(systemClock),
});

/** KEYS: window · ARGV: limit, windowMs, member → 0 when a send slot was taken, else ms to wait. */
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

/** A `makeRequest` of discord.js's REST (`(url, init) => Promise<ResponseLike>`). */
export type MakeRequest<I extends { signal?: unknown }, R> = (url: string, init: I) => Promise<R>;

/** See the module comment. */
export class DiscordGlobalLimit {
  readonly #options: z.output<typeof globalLimitOptionsSchema>;
  readonly #owner = randomUUID();
  /** In process: send times of the current window, oldest first. */
  readonly #sent: number[] = [];
  /** Sends wait in line: one slot is decided at a time. */
  #line: Promise<void> = Promise.resolve();
  #count = 0;

  constructor(options: DiscordGlobalLimitOptions = {}) {
    this.#options = parseOptions(globalLimitOptionsSchema, options, 'DiscordGlobalLimit options');
  }

  /** Resolves when this send may go: at most `perSecond` sends in any rolling second. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#line.then(() => this.#take(signal));
    this.#line = turn.catch(() => {});
    return turn;
  }

  /**
   * `makeRequest` for discord.js's REST that takes a slot before every HTTP request:
   * `new REST({ makeRequest: limit.wrap(DefaultRestOptions.makeRequest) })`.
   */
  wrap<I extends { signal?: unknown }, R>(makeRequest: MakeRequest<I, R>): MakeRequest<I, R> {
    return async (url, init) => {
      await this.acquire(init.signal instanceof AbortSignal ? init.signal : undefined);
      return makeRequest(url, init);
    };
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
    const now = this.#options.clock.now();
    const { perSecond } = this.#options;
    while (this.#sent.length > 0 && this.#sent[0]! <= now - DISCORD_GLOBAL_WINDOW_MS) this.#sent.shift();
    if (this.#sent.length < perSecond) {
      this.#sent.push(now);
      return 0;
    }
    return Math.max(1, this.#sent[0]! + DISCORD_GLOBAL_WINDOW_MS - now);
  }

  /**
   * A slot of the shared window; when Redis fails, of this process's own window — sends go on
   * (each process held to the limit on its own) rather than every Discord call failing with Redis.
   */
  async #takeShared(): Promise<number> {
    this.#count += 1;
    const member = `${this.#owner}:${this.#count}`;
    const args = [this.#options.perSecond, DISCORD_GLOBAL_WINDOW_MS, member];
    try {
      return Number(await TAKE.run(this.#options.redis as unknown as Redis, [this.#options.key], args));
    } catch {
      return this.#takeLocal();
    }
  }

  /** Ref'd (a request waits for it); cleared when `signal` aborts the wait. */
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
