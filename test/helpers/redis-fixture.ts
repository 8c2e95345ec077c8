/**
 * The shared real Redis (REDIS_URL) for tests: one admin connection per file, a unique key prefix
 * per test, and after each test the registered closers (in reverse order) and every key under the
 * prefix removed. Never flushes the database: only the test's own keys are deleted.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test (or run) uses: `chatlane-test:<uuid>:`. */
export function uniqueKeyPrefix(): string {
  return `chatlane-test:${randomUUID()}:`;
}

/** Deletes every key under `prefix`, on `redis` or (without it) on a connection of its own. */
export async function deleteKeys(prefix: string, redis?: Redis): Promise<void> {
  const connection = redis ?? new Redis(REDIS_URL);
  try {
    const keys = await connection.keys(`${prefix}*`);
    if (keys.length > 0) await connection.del(...keys);
  } finally {
    if (!redis) await connection.quit();
  }
}

export interface RedisFixture {
  /** A connection for the test's own reads and writes (open for the whole file). */
  readonly admin: Redis;
  /** The current test's key prefix. */
  readonly prefix: string;
  /** Registers a cleanup run after the current test; closers run in reverse order, before the keys go. */
  onCleanup(close: () => Promise<unknown>): void;
}

/**
 * Registers the hooks (call it at a file's or a describe's top level) and returns the fixture; its
 * `admin` and `prefix` are read inside tests and hooks, not at collection time.
 */
export function useRedisFixture(): RedisFixture {
  let admin: Redis | undefined;
  let prefix: string | undefined;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await admin?.quit();
  });

  beforeEach(() => {
    prefix = uniqueKeyPrefix();
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    if (admin && prefix !== undefined) await deleteKeys(prefix, admin);
  });

  return {
    get admin() {
      if (!admin) throw new Error('useRedisFixture: admin is only available inside tests and hooks');
      return admin;
    },
    get prefix() {
      if (prefix === undefined) throw new Error('useRedisFixture: prefix is only available inside tests');
      return prefix;
    },
    onCleanup(close) {
      closers.push(close);
    },
  };
}
