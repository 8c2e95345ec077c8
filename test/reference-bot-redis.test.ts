import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/bot-harness.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `chatlane-test:${randomUUID()}:`;

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('reference bot with SESSION_REDIS_URL (real Redis)', () => {
  it('two bot processes share one conversation history', async () => {
    const env = { SESSION_REDIS_URL: REDIS_URL, SESSION_REDIS_PREFIX: prefix };
    const first: Harness = await startHarness({}, env);
    const second: Harness = await startHarness({}, env);
    try {
      expect((await first.say('what is a circuit breaker?')).outcome.ok).toBe(true);
      expect((await second.say('and a bulkhead?')).outcome.ok).toBe(true);
      const sent = second.openRouter.requests[0]!.body.messages as Array<{ role: string; content: string }>;
      expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      expect(sent[1]!.content).toBe('what is a circuit breaker?');
      expect(sent[3]!.content).toBe('and a bulkhead?');
    } finally {
      await first.close();
      await second.close();
    }
  });
});
