import { z } from 'zod';
import { REDIS_KEY_PREFIX, REDIS_LOCAL_PROFILE_TTL_MS, SESSION_MAX_PROFILES } from '../constants.ts';
import { type Clock, clockOption, systemClock } from '../internal/clock.ts';
import { redisClientOption } from '../internal/redis.ts';

/**
 * An ioredis client (`new Redis(…)`) as the store sees it. Declared structurally, so chatlane's
 * types compile in a project without ioredis installed; any ioredis `Redis` fits.
 */
export interface RedisClientLike {
  /** Runs a cached Lua script. */
  evalsha(...args: never[]): unknown;
  /** Runs a Lua script. */
  eval(...args: never[]): unknown;
  /** Starts a MULTI transaction. */
  multi(...args: never[]): unknown;
  /** A new connection with the same options (the default subscriber). */
  duplicate(...args: never[]): unknown;
  /** Publishes on a pub/sub channel. */
  publish(...args: never[]): unknown;
  /** Subscribes to pub/sub channels. */
  subscribe(...args: never[]): unknown;
}

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** Your ioredis client for commands (not closed by the store). */
  redis: RedisClientLike;
  /**
   * A dedicated connection for pub/sub (a subscribed connection can run no other command). Not
   * closed by the store. @default `redis.duplicate()`, which the store disconnects on `close()`
   */
  subscriber?: RedisClientLike;
  /** Prefix of every key and of the pub/sub channel. @default 'chatlane:' (REDIS_KEY_PREFIX) */
  keyPrefix?: string;
  /**
   * Profiles read from Redis are also kept in process this long (bounded by their Redis TTL);
   * invalidations from any process clear them through pub/sub. 0 disables the local copy.
   * @default 30000 (REDIS_LOCAL_PROFILE_TTL_MS)
   */
  localProfileTtlMs?: number;
  /** Profiles kept in process at most. @default 10000 (SESSION_MAX_PROFILES) */
  maxLocalProfiles?: number;
  /** Clock for the local copies' TTL (`ManualClock` in tests). @default the real clock */
  clock?: Clock;
}

/** Validates {@link RedisSessionStoreOptions}. */
export const redisStoreSchema = z.strictObject({
  redis: redisClientOption,
  subscriber: redisClientOption.optional(),
  keyPrefix: z.string().default(REDIS_KEY_PREFIX),
  localProfileTtlMs: z.number().int().min(0).default(REDIS_LOCAL_PROFILE_TTL_MS),
  maxLocalProfiles: z.number().int().positive().default(SESSION_MAX_PROFILES),
  clock: clockOption(systemClock),
});
