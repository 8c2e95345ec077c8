import { readFileSync } from 'node:fs';
import { FAILURE_REPLIES, type LogEvent, MemorySessionStore, SessionStoreError } from 'chatlane';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../examples/reference-bot/pipeline.ts';
import { shutdown } from '../examples/reference-bot/shutdown.ts';
import { type Harness, startHarness, USER } from './helpers/bot-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A store whose history writes fail (a shared store that went away mid-request). */
class FailingHistoryStore extends MemorySessionStore<Profile> {
  override async appendHistory(): Promise<void> {
    throw new SessionStoreError('appendHistory', new Error('connection lost'));
  }
}

/** A store that cannot read histories. */
class FailingReadStore extends MemorySessionStore<Profile> {
  override async getHistory(): Promise<never> {
    throw new SessionStoreError('getHistory', new Error('connection lost'));
  }
}

describe('reference bot failure paths', () => {
  it('a history the store cannot read costs the context, not the answer (the cache degrades and says so)', async () => {
    harness = await startHarness({}, {}, { sessionOptions: { store: new FailingReadStore() } });
    const h = harness;
    const { outcome } = await h.say('hello there');
    expect(outcome.ok).toBe(true);
    const replies = h.discord.messages(h.discord.dmChannelId(USER.id)).filter((m) => m.author.bot);
    expect(replies.map((m) => m.content)).toEqual([`Hello from ${h.config.MODEL_SIMPLE}`]);
    const degraded = h.events.find((e) => e.event === 'session_store_error');
    expect(degraded?.level).toBe('WARNING');
    expect(degraded?.detail.operation).toBe('getHistory');
  });

  it('a delivered answer whose history cannot be saved gets no second (apology) reply', async () => {
    harness = await startHarness({}, {}, { sessionOptions: { store: new FailingHistoryStore() } });
    const { outcome } = await harness.say('hello there');
    const h = harness;
    const replies = h.discord
      .messages(h.discord.dmChannelId(USER.id))
      .filter((m) => m.author.id === h.client.user.id);
    expect(replies.map((m) => m.content)).toEqual([`Hello from ${h.config.MODEL_SIMPLE}`]);
    expect(outcome.ok).toBe(true);
    const failed = h.events.find((e) => e.event === 'session_store_error');
    expect(failed?.level).toBe('WARNING');
    expect(failed?.detail.operation).toBe('appendHistory');
  });

  it('a request that never got a token records no time-to-first-token (the SLO is not fed a fake one)', async () => {
    harness = await startHarness({ status: 503 });
    const { outcome } = await harness.say('is anyone there?');
    expect(outcome.ok).toBe(false);
    const complete = harness.events.find((e) => e.event === 'pipeline_complete')!;
    const phases = complete.detail.phases as Record<string, number>;
    expect(phases.llm).toBeGreaterThanOrEqual(0);
    expect(phases).not.toHaveProperty('llm_first_token');
    expect(harness.parts.slo.getCurrentSloStatus().phases.llm_first_token?.samples ?? 0).toBe(0);
  });

  it('a bad OpenRouter key gets the user a reply that promises no recovery, and the operator an ERROR line', async () => {
    harness = await startHarness({ status: 401 });
    const h = harness;
    const { outcome } = await h.say('hello there');
    expect(outcome.ok).toBe(false);
    const replies = h.discord.messages(h.discord.dmChannelId(USER.id)).filter((m) => m.author.bot);
    expect(replies.map((m) => m.content)).toEqual([FAILURE_REPLIES.misconfigured]);
    const loud = h.events.filter((e) => e.event === 'openrouter_configuration_error');
    expect(loud.length).toBeGreaterThan(0);
    expect(loud[0]!.level).toBe('ERROR');
    expect(loud[0]!.detail).toMatchObject({ reason: 'auth', status: 401, corr_id: outcome.corrId });
  });

  it('a failing profile loader still gets the user an answer (named from the message), once', async () => {
    const loadProfile = async (): Promise<Profile> => {
      throw new Error('GET /users/:id failed');
    };
    harness = await startHarness({}, {}, { loadProfile });
    const h = harness;
    const { outcome } = await h.say('hello there', 'guild');
    expect(outcome.ok).toBe(true);
    const replies = h.discord.messages(h.channelId).filter((m) => m.author.id === h.client.user.id);
    expect(replies.map((m) => m.content)).toEqual([`Hello from ${h.config.MODEL_SIMPLE}`]);
    const system = (h.openRouter.requests[0]!.body.messages as Array<{ content: string }>)[0]!.content;
    expect(system).toContain(USER.username);
    const warned = h.events.find((e) => e.event === 'profile_unavailable');
    expect(warned?.detail.corr_id).toBe(outcome.corrId);
  });

  it('an onAnswered callback that throws never triggers a second reply', async () => {
    harness = await startHarness();
    const h = harness;
    const settle = h.outcomes.settle.bind(h.outcomes);
    h.outcomes.settle = (id, outcome) => {
      settle(id, outcome);
      throw new Error('observer broke');
    };
    const { outcome } = await h.say('hello there');
    expect(outcome.ok).toBe(true);
    while (!h.events.some((e) => e.event === 'on_answered_failed'))
      await new Promise((r) => setTimeout(r, 5));
    expect(h.events.find((e) => e.event === 'on_answered_failed')?.detail.corr_id).toBe(outcome.corrId);
    expect(h.events.some((e) => e.event === 'message_not_answered')).toBe(false);
    const dm = h.discord.dmChannelId(USER.id);
    const replies = h.discord.messages(dm).filter((m) => m.author.id === h.client.user.id);
    expect(replies.map((m) => m.content)).toEqual([`Hello from ${h.config.MODEL_SIMPLE}`]);
  });

  it('Discord refusing the rest of a streamed answer ends in one apology, not a silently cut reply', async () => {
    harness = await startHarness({ tokenIntervalMs: 30 });
    const h = harness;
    // The bot's message vanished mid-answer (deleted by a moderator): every edit is refused.
    h.discord.scriptError({
      method: 'PATCH',
      status: 404,
      code: 10008,
      message: 'Unknown Message',
      times: 10,
    });
    const { outcome } = await h.say('hello there');
    expect(outcome.ok).toBe(false);
    const dm = h.discord.dmChannelId(USER.id);
    const replies = h.discord.messages(dm).filter((m) => m.author.id === h.client.user.id);
    expect(replies.map((m) => m.content)).toEqual(['Hello', FAILURE_REPLIES.unknown]);
  });

  it('a reply abandoned at the shutdown deadline still gets its apology and its JSONL lines', async () => {
    const h = await startHarness({ ttftMs: 10_000 });
    await h.discord.injectMessage({ content: 'slow one', author: USER });
    while (h.bot.inFlight.size === 0) await new Promise((r) => setTimeout(r, 5));
    h.discord.setLatency(200); // the apology takes a moment: shutdown must not close the logs under it
    const drained = await shutdown(h.bot, h.parts, h.client, 50);
    expect(drained).toEqual({ finished: 0, abandoned: 1 });
    const events = readFileSync(h.parts.jsonlPath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as LogEvent).event);
    expect(events).toContain('pipeline_complete');
    const replies = h.discord.messages(h.discord.dmChannelId(USER.id)).filter((m) => m.author.bot);
    expect(replies).toHaveLength(1);
    await Promise.all([h.discord.close(), h.openRouter.close()]);
  });

  it('a message refused during shutdown is logged with a corr id like every other message', async () => {
    harness = await startHarness({ ttftMs: 1_000 }); // the drain lasts long enough for a late message
    const h = harness;
    await h.discord.injectMessage({ content: 'slow one', author: USER });
    while (h.bot.inFlight.size === 0) await new Promise((r) => setTimeout(r, 5));
    const drained = h.bot.stop(5_000);
    const late = await h.discord.injectMessage({ content: 'are you there?', author: USER });
    while (!h.events.some((e) => e.event === 'message_not_answered'))
      await new Promise((r) => setTimeout(r, 5));
    const refused = h.events.find((e) => e.event === 'message_not_answered')!;
    expect(refused.msg_id).toBe(late.id);
    expect(refused.detail.corr_id).toMatch(/^[0-9a-f]{8}$/);
    await drained;
  });
});
