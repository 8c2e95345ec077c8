import { afterAll, describe, expect, it } from 'vitest';
import { answerMessage, type IncomingMessage } from '../examples/reference-bot/pipeline.ts';
import { type Harness, startHarness } from './helpers/bot-harness.ts';
import { deleteKeys, REDIS_URL, uniqueKeyPrefix } from './helpers/redis-fixture.ts';

const prefix = uniqueKeyPrefix();

afterAll(() => deleteKeys(prefix));

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

  it('the same message delivered to two bot processes is answered once', async () => {
    const env = { SESSION_REDIS_URL: REDIS_URL, SESSION_REDIS_PREFIX: prefix };
    const first: Harness = await startHarness({}, env);
    const second: Harness = await startHarness({}, env);
    try {
      const msg: IncomingMessage = {
        id: '1300000000000000042',
        channelId: first.channelId,
        guildId: first.guildId,
        authorId: '410000000000000009',
        authorName: 'ada',
        content: 'hello there',
        isDM: false,
        mentionsBot: true,
        hasAttachments: false,
      };
      const signal = new AbortController().signal;
      const outcomes = await Promise.all([
        answerMessage(first.parts, msg, signal),
        answerMessage(second.parts, msg, signal),
      ]);
      expect(outcomes.filter((o) => o.duplicate === true)).toHaveLength(1);
      const requests = first.openRouter.requests.length + second.openRouter.requests.length;
      expect(requests).toBe(1);
      const ignored = [...first.events, ...second.events].filter(
        (e) => e.event === 'duplicate_message_ignored',
      );
      expect(ignored).toHaveLength(1);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
