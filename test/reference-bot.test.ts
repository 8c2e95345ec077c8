import { readFileSync } from 'node:fs';
import { FAILURE_REPLIES, type LogEvent } from 'chatlane';
import { afterEach, describe, expect, it } from 'vitest';
import { demoReply } from '../examples/reference-bot/demo-script.ts';
import { type Harness, startHarness, USER } from './helpers/bot-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function botMessages(h: Harness, channelId: string) {
  return h.discord.messages(channelId).filter((m) => m.author.id === h.client.user.id);
}

async function jsonlEvents(h: Harness): Promise<LogEvent[]> {
  await h.parts.logger.flush();
  return readFileSync(h.parts.jsonlPath, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as LogEvent);
}

describe('reference bot end to end (real discord.js, fake gateway, fake OpenRouter)', () => {
  it('answers a DM: streamed reply on Discord, corr id and every phase in the JSONL event, SLO fed', async () => {
    harness = await startHarness();
    const { messageId, outcome } = await harness.say('hello there');
    expect(outcome.ok).toBe(true);
    const dm = harness.discord.dmChannelId(USER.id);
    const replies = botMessages(harness, dm);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toBe(`Hello from ${harness.config.MODEL_SIMPLE}`);
    expect(replies[0]!.message_reference?.message_id).toBe(messageId);

    const request = harness.openRouter.requests[0]!;
    expect(request.stream).toBe(true);
    const sent = request.body.messages as Array<{ role: string; content: string }>;
    expect(sent[0]!.role).toBe('system');
    expect(sent[0]!.content).toContain('You are a helpful assistant');
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'hello there' });

    const complete = (await jsonlEvents(harness)).filter((e) => e.event === 'pipeline_complete');
    expect(complete).toHaveLength(1);
    const event = complete[0]!;
    expect(event).toMatchObject({ user_id: USER.id, msg_id: messageId, guild_id: null });
    expect(event.detail.corr_id).toBe(outcome.corrId);
    expect(event.detail.corr_id).toMatch(/^[0-9a-f]{8}$/);
    const phases = event.detail.phases as Record<string, number>;
    for (const phase of ['router', 'prompt', 'llm_first_token', 'llm', 'discord', 'pipeline']) {
      expect(phases[phase], phase).toBeGreaterThanOrEqual(0);
    }
    expect(harness.parts.slo.getCurrentSloStatus().phases.pipeline?.samples).toBe(1);
  });

  it('answers a guild mention on the full path with context, and ignores bots and unmentioned messages', async () => {
    harness = await startHarness();
    await harness.discord.injectMessage({
      guildId: harness.guildId,
      channelId: harness.channelId,
      content: 'just chatting, no mention',
      author: USER,
    });
    await harness.discord.injectMessage({
      guildId: harness.guildId,
      channelId: harness.channelId,
      content: `<@${harness.client.user.id}> I am another bot`,
      author: { id: '510000000000000001', username: 'otherbot', bot: true },
    });
    const question =
      'Can you explain in detail how TCP congestion control works, and compare Reno with CUBIC under packet loss?';
    const { outcome } = await harness.say(question, 'guild');
    expect(outcome.ok).toBe(true);
    expect(outcome.route?.path).toBe('full');
    expect(botMessages(harness, harness.channelId)).toHaveLength(1);
    const event = harness.events.find((e) => e.event === 'pipeline_complete')!;
    expect(event.guild_id).toBe(harness.guildId);
    expect(Object.keys(event.detail.phases as object)).toContain('context');
    // The exchange is remembered: the next question carries it as history.
    await harness.say('and what about BBR?', 'guild');
    const second = harness.openRouter.requests.at(-1)!.body.messages as Array<{
      role: string;
      content: string;
    }>;
    expect(second.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(second[1]!.content).toBe(question);
    // The prompt template was compiled once, at start; every message since was a cache hit.
    expect(harness.parts.templates.getStats()).toMatchObject({ compiles: 1, hits: 2 });
  });

  it('splits a long code answer into messages of at most 2,000 characters without breaking the fence', async () => {
    harness = await startHarness({ reply: demoReply });
    const { outcome } = await harness.say('write a retry function, code please');
    expect(outcome.ok).toBe(true);
    const replies = botMessages(harness, harness.discord.dmChannelId(USER.id));
    expect(replies.length).toBeGreaterThan(1);
    for (const reply of replies) {
      expect(reply.content.length).toBeLessThanOrEqual(2000);
      expect((reply.content.match(/```/g) ?? []).length % 2).toBe(0);
    }
  });

  it('falls back to the next model when the primary fails, and says so in the log', async () => {
    harness = await startHarness();
    const [primary, second] = harness.config.OPENROUTER_MODELS;
    harness.openRouter.script(primary!, { status: 503 });
    const { outcome } = await harness.say('hello during an outage');
    expect(outcome.ok).toBe(true);
    expect(outcome.model).toBe(second);
    const replies = botMessages(harness, harness.discord.dmChannelId(USER.id));
    expect(replies.map((m) => m.content)).toEqual([`Hello from ${second}`]);
    const fallback = harness.events.find((e) => e.event === 'model_fallback');
    expect(fallback?.detail.corr_id).toBe(outcome.corrId); // the fallback's log line names the message
    expect(fallback?.user_id).toBe(USER.id);
    const complete = harness.events.find((e) => e.event === 'pipeline_complete')!;
    expect(complete.detail).toMatchObject({ ok: true, model: second });
  });

  it('answers politely when every model is down, without crashing', async () => {
    harness = await startHarness({ status: 503 });
    const { outcome } = await harness.say('is anyone there?');
    expect(outcome.ok).toBe(false);
    const replies = botMessages(harness, harness.discord.dmChannelId(USER.id));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toContain(FAILURE_REPLIES.unavailable);
    expect(replies[0]!.content).not.toMatch(/503|openai\/|anthropic\//);
    expect(harness.events.some((e) => e.event === 'pipeline_failed' && e.level === 'ERROR')).toBe(true);
    expect(harness.events.find((e) => e.event === 'pipeline_complete')?.detail.ok).toBe(false);
  });

  it('graceful shutdown lets a reply in flight finish', async () => {
    harness = await startHarness({ ttftMs: 300 });
    const injected = await harness.discord.injectMessage({ content: 'slow one', author: USER });
    const answered = harness.outcomes.wait(injected.id);
    while (harness.bot.inFlight.size === 0) await new Promise((r) => setTimeout(r, 5));
    const drained = await harness.bot.stop(5_000);
    expect(drained).toEqual({ finished: 1, abandoned: 0 });
    expect((await answered).ok).toBe(true);
    expect(botMessages(harness, harness.discord.dmChannelId(USER.id))).toHaveLength(1);
  });

  it('a message arriving during shutdown is told to come back, not dropped', async () => {
    harness = await startHarness({ ttftMs: 1_000 }); // the drain lasts long enough for a late message
    const h = harness;
    await h.discord.injectMessage({ content: 'slow one', author: USER });
    while (h.bot.inFlight.size === 0) await new Promise((r) => setTimeout(r, 5));
    const drained = h.bot.stop(5_000);
    const late = await h.discord.injectMessage({
      guildId: h.guildId,
      channelId: h.channelId,
      content: `<@${h.client.user.id}> are you there?`,
      author: USER,
    });
    const replies = await h.discord.waitForMessages(h.channelId, (all) =>
      all.some((m) => m.author.id === h.client.user.id),
    );
    const reply = replies.find((m) => m.author.id === h.client.user.id)!;
    expect(reply.content).toMatch(/restarting/);
    expect(reply.message_reference?.message_id).toBe(late.id);
    expect(h.events.some((e) => e.event === 'message_not_answered' && e.msg_id === late.id)).toBe(true);
    await expect(drained).resolves.toEqual({ finished: 1, abandoned: 0 });
  });
});
