import { DiscordContentError, DiscordDeliveryError, DiscordSender } from 'chatlane';
import { snowflake } from 'chatlane/testing';
import { REST } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const TOKEN = 'sender-token';

const fx = useDiscordFixture({ token: TOKEN, discord: { cannotDm: ['999999999999999999'] } });
const { makeSender, creates } = fx;

describe('DiscordSender.send through real discord.js REST', () => {
  it('sends short text in one request, mentions off, with an enforced nonce', async () => {
    const channel = snowflake();
    const result = await makeSender().send(channel, 'hello there');
    expect(result.messageIds).toHaveLength(1);
    const [request] = creates();
    expect(request?.body).toMatchObject({
      content: 'hello there',
      allowed_mentions: { parse: [], replied_user: false },
      enforce_nonce: true,
    });
    const nonce = (request?.body as { nonce: string } | undefined)?.nonce ?? '';
    expect(typeof nonce).toBe('string');
    expect(nonce.length).toBeLessThanOrEqual(25);
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['hello there']);
    expect(fx.sender?.getStats()).toMatchObject({ sends: 1, messages: 1, simpleSends: 1, splits: 0 });
  });

  it('replies with fail_if_not_exists: false, so a deleted prompt does not lose the answer', async () => {
    const channel = snowflake();
    const result = await makeSender().send({ channelId: channel }, 'answer', { replyTo: snowflake() });
    expect(result.messageIds).toHaveLength(1);
    expect(creates()[0]?.body).toMatchObject({ message_reference: { fail_if_not_exists: false } });
  });

  it('never lets model text ping @everyone, roles or users, unless the caller opts in', async () => {
    const channel = snowflake();
    const user = snowflake();
    const content = `@everyone @here <@${user}> <@&${snowflake()}> look`;
    await makeSender().send(channel, content);
    await fx.sender?.send(channel, content, { allowedMentions: { users: [user] } });
    const [blocked, optedIn] = fx.discord.messages(channel);
    expect(blocked).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
    expect(optedIn).toMatchObject({ mention_everyone: false, mentions: [user], mention_roles: [] });
  });

  it('splits long replies into ≤ 2000-character messages, in order, as replies only on the first', async () => {
    const channel = snowflake();
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} ${'word '.repeat(30).trim()}.`);
    const content = paragraphs.join('\n\n');
    const prompt = await fx.discord.injectMessage({
      guildId: snowflake(),
      channelId: channel,
      content: 'q',
      author: { id: snowflake(), username: 'u' },
    });
    const result = await makeSender().send(channel, content, { replyTo: prompt.id });
    const posted = fx.discord.messages(channel).slice(1);
    expect(posted.length).toBe(result.messageIds.length);
    expect(posted.length).toBeGreaterThan(1);
    for (const message of posted) expect(message.content.length).toBeLessThanOrEqual(2000);
    expect(posted.map((m) => m.content).join('\n\n')).toBe(content);
    expect(posted[0]?.message_reference?.message_id).toBe(prompt.id);
    expect(posted.slice(1).every((m) => m.message_reference === undefined)).toBe(true);
    expect(fx.sender?.getStats().splits).toBe(1);
  });

  it('keeps code fences balanced across parts and reopens them with the language tag', async () => {
    const channel = snowflake();
    const code = Array.from({ length: 120 }, (_, i) => `const value${i} = compute(${i}); // line ${i}`).join(
      '\n',
    );
    const content = `Here is the code:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`;
    await makeSender().send(channel, content);
    const parts = fx.discord.messages(channel).map((m) => m.content);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect((part.match(/```/g) ?? []).length % 2).toBe(0);
    }
    for (const part of parts.slice(1, -1)) expect(part.startsWith('```ts\n')).toBe(true);
  });

  it('splits unicode without breaking surrogate pairs or emoji', async () => {
    const channel = snowflake();
    const content = '👩‍💻🚀'.repeat(900);
    await makeSender().send(channel, content);
    const parts = fx.discord.messages(channel).map((m) => m.content);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(parts.join('')).toBe(content);
  });

  it('keeps a family emoji whole at the 2,000 boundary and sends no whitespace-only part', async () => {
    const channel = snowflake();
    const family = '👩‍👩‍👧‍👦';
    await makeSender().send(channel, family.repeat(300));
    const parts = fx.discord.messages(channel).map((m) => m.content);
    for (const part of parts) expect(part.length % family.length).toBe(0);
    const other = snowflake();
    const result = await fx.sender?.send(other, `${'word '.repeat(400)}\n\n\n`);
    expect(result?.messageIds).toHaveLength(1);
    expect(fx.discord.messages(other)[0]?.content).toBe('word '.repeat(400).trimEnd());
  });

  it('opens a DM once per user and caches the channel', async () => {
    const user = snowflake();
    const first = await makeSender().send({ userId: user }, 'one');
    const second = await makeSender().send({ userId: user }, 'two');
    expect(first.channelId).toBe(second.channelId);
    expect(first.channelId).toBe(fx.discord.dmChannelId(user));
    expect(fx.discord.requests.filter((r) => r.path === '/users/@me/channels')).toHaveLength(2);
    const single = makeSender();
    await Promise.all([single.send({ userId: user }, 'a'), single.send({ userId: user }, 'b')]);
    await single.send({ userId: user }, 'c');
    expect(fx.discord.requests.filter((r) => r.path === '/users/@me/channels')).toHaveLength(3);
  });

  it("one caller aborting a shared DM lookup does not fail the other caller's send", async () => {
    const user = snowflake();
    fx.discord.setLatency((r) => (r.path === '/users/@me/channels' ? 100 : 0));
    const sender = makeSender();
    const controller = new AbortController();
    const first = sender.send({ userId: user }, 'one', { signal: controller.signal });
    const second = sender.send({ userId: user }, 'two');
    await fx.discord.waitForRequest((r) => r.path === '/users/@me/channels');
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(second).resolves.toMatchObject({ channelId: fx.discord.dmChannelId(user) });
    expect(fx.discord.messages(fx.discord.dmChannelId(user)).map((m) => m.content)).toEqual(['two']);
  });

  it('maps Discord refusals to typed errors: cannot DM (50007), invalid form (50035)', async () => {
    const error = await makeSender()
      .send({ userId: '999999999999999999' }, 'hi')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordDeliveryError);
    expect(error).toMatchObject({
      code: 'DISCORD_CANNOT_DM',
      discordCode: 50007,
      status: 403,
      retryable: false,
    });
    const channel = snowflake();
    fx.discord.scriptError({
      method: 'POST',
      path: `/channels/${channel}/messages`,
      status: 400,
      code: 50035,
    });
    await expect(fx.sender?.send(channel, 'x')).rejects.toMatchObject({
      code: 'DISCORD_INVALID_FORM_BODY',
      discordCode: 50035,
    });
    fx.discord.scriptError({
      method: 'POST',
      path: `/channels/${channel}/messages`,
      status: 400,
      code: 20016,
    });
    await expect(fx.sender?.send(channel, 'x')).rejects.toMatchObject({
      code: 'DISCORD_SLOWMODE',
      retryable: true,
    });
    expect(fx.sender?.getStats().failures).toBe(3);
  });

  it('rejects empty content before any request, and strips control characters', async () => {
    const channel = snowflake();
    await expect(makeSender().send(channel, ' \n\u0000 ')).rejects.toBeInstanceOf(DiscordContentError);
    expect(fx.discord.requests).toHaveLength(0);
    await fx.sender?.send(channel, 'a\u0007b\r\nc');
    expect(fx.discord.messages(channel)[0]?.content).toBe('ab\nc');
  });

  it('a retried create (server applied it, then failed) never posts twice thanks to the nonce', async () => {
    const channel = snowflake();
    fx.discord.scriptError({
      method: 'POST',
      path: `/channels/${channel}/messages`,
      status: 500,
      afterApply: true,
    });
    const result = await makeSender().send(channel, 'only once');
    expect(creates()).toHaveLength(2);
    expect(fx.discord.messages(channel)).toHaveLength(1);
    expect(result.messageIds).toEqual([fx.discord.messages(channel)[0]?.id]);
  });

  it("maps discord.js's own request timeout to a retryable DISCORD_HTTP error, not ABORTED", async () => {
    const slowRest = new REST({ api: fx.discord.apiUrl, retries: 1, timeout: 30 }).setToken(TOKEN);
    fx.discord.setLatency(150);
    const s = new DiscordSender({ rest: slowRest });
    try {
      const error = await s.send(snowflake(), 'slow').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DiscordDeliveryError);
      expect(error).toMatchObject({ code: 'DISCORD_HTTP', status: 0, retryable: true });
    } finally {
      s.close();
      slowRest.clearHashSweeper();
      slowRest.clearHandlerSweeper();
    }
  });
});
