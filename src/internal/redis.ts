/**
 * What every Redis user in chatlane shares: Lua scripts run by SHA, the zod check of an ioredis
 * client option, waiting for a connection, and the error listener of a connection we own.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RedisClientLike } from '../session/redis-store-options.ts';

/**
 * A Lua script run with EVALSHA (EVAL once when Redis does not know it yet). Every script of
 * chatlane touches only the keys it is given, and those keys share one hash slot (one key, or keys
 * with the same `{hash tag}`), so every script also runs on Redis Cluster.
 */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      return redis.eval(this.#source, keys.length, ...keys, ...args);
    }
  }
}

/** An option holding an ioredis client (`Redis` or `Cluster`). */
export const redisClientOption = z.custom<RedisClientLike>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { evalsha?: unknown }).evalsha === 'function',
  'Expected an ioredis client',
);

/** Resolves once `client` is connected (connecting a lazy one); rejects if it ends first. */
export function whenConnected(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      client.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      client.off('ready', onReady);
      reject(new Error('The Redis connection ended before it was ready'));
    };
    client.once('ready', onReady);
    client.once('end', onEnd);
    if (client.status === 'wait') client.connect().catch(() => {});
  });
}

/** Connection errors of a connection chatlane owns (a duplicated subscriber): ioredis reconnects by itself. */
export function ignoreConnectionError(): void {}
