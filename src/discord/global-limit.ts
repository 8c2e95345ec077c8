/**
 * Discord's global rate limit (50 requests/s per bot token) held for every process of a bot
 * together. discord.js counts it per process, in fixed windows; a bot running several processes
 * (shards) needs one count, and one that never puts more than the limit in *any* second (fixed
 * windows on both sides never line up). This is a rolling-window limiter: in process, or shared
 * through Redis (one sorted set of send times per key, one Lua script, Redis `TIME`). Plug it in
 * under discord.js's REST with {@link DiscordGlobalLimit.wrap} (`makeRequest`), in every process
 * or in the `@discordjs/proxy` they all send through.
 */
import { z } from 'zod';
import {
  DISCORD_GLOBAL_REQUESTS_PER_SECOND,
  DISCORD_GLOBAL_WINDOW_MS,
  REDIS_KEY_PREFIX,
} from '../constants.ts';
import { type Clock, clockOption, systemClock } from '../internal/clock.ts';
import { parseOptions } from '../internal/options.ts';
import { redisClientOption } from '../internal/redis.ts';
import { RollingLimit } from '../internal/rolling-limit.ts';
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

/** A `makeRequest` of discord.js's REST (`(url, init) => Promise<ResponseLike>`). */
export type MakeRequest<I extends { signal?: unknown }, R> = (url: string, init: I) => Promise<R>;

/** See the module comment. */
export class DiscordGlobalLimit {
  readonly #limit: RollingLimit;

  constructor(options: DiscordGlobalLimitOptions = {}) {
    const { perSecond, redis, key, clock } = parseOptions(
      globalLimitOptionsSchema,
      options,
      'DiscordGlobalLimit options',
    );
    this.#limit = new RollingLimit({
      limit: perSecond,
      windowMs: DISCORD_GLOBAL_WINDOW_MS,
      clock,
      redis,
      key,
    });
  }

  /** Resolves when this send may go: at most `perSecond` sends in any rolling second. */
  acquire(signal?: AbortSignal): Promise<void> {
    return this.#limit.acquire(signal);
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
}
