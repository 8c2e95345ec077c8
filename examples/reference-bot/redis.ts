/**
 * What the bot's processes share through SESSION_REDIS_URL: the session store (profiles,
 * histories, invalidations, message claims), the OpenRouter breakers, and the reply journal that
 * lets a peer finish the replies of a process that died.
 */
import { once } from 'node:events';
import { type Logger, RedisOpenRouterState, RedisReplyJournal, RedisSessionStore } from 'chatlane';
import type { IncomingMessage, Profile } from './types.ts';

const REDIS_FAIL_FAST = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: 1_000,
  // A socket that does not close after QUIT/disconnect is destroyed this soon (ioredis: 2 s).
  disconnectTimeout: 500,
} as const;
const REDIS_RECONNECT_STEP_MS = 200;
const REDIS_RECONNECT_MAX_MS = 2_000;

/** The shared parts, and how to let go of them. */
export interface SharedRedis {
  store: RedisSessionStore<Profile>;
  sharedState: RedisOpenRouterState;
  journal: RedisReplyJournal<IncomingMessage>;
  close(): Promise<void>;
}

/** Connects (fail-fast: a Redis outage degrades, never stalls, a reply) and builds the shared parts. */
export async function connectShared(
  url: string,
  keyPrefix: string,
  maxAgeMs: number,
  logger: Logger,
): Promise<SharedRedis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    ...REDIS_FAIL_FAST,
    retryStrategy: (attempt: number) => Math.min(attempt * REDIS_RECONNECT_STEP_MS, REDIS_RECONNECT_MAX_MS),
  });
  // Connection errors go to the log (ioredis prints "Unhandled error event" to stderr otherwise).
  redis.on('error', (error: Error) => logger.warn({ error }, 'redis_error'));
  if (redis.status !== 'ready') await once(redis, 'ready');
  const named = (name: string) => logger.child({ name: `reference-bot.${name}` });
  const store = new RedisSessionStore<Profile>({ redis, keyPrefix });
  const sharedState = new RedisOpenRouterState({ redis, keyPrefix, logger: named('shared-state') });
  const journal = new RedisReplyJournal<IncomingMessage>({
    redis,
    keyPrefix,
    maxAgeMs,
    logger: named('journal'),
  });
  await Promise.all([store.ready(), sharedState.ready()]);
  return {
    store,
    sharedState,
    journal,
    async close() {
      // Each closes the subscriber it created; the command connection is ours to close.
      await Promise.all([journal.close(), sharedState.close()]);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
