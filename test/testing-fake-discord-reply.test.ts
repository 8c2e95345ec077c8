import { FakeDiscord, FakeDiscordWaitTimeoutError } from 'chatlane/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const USER = { id: '410000000000000001', username: 'ada' };

let discord: FakeDiscord;

beforeEach(async () => {
  discord = await FakeDiscord.start();
});
afterEach(async () => {
  await discord.close();
});

/** Plays the bot's side over raw REST: a create (optionally replying to a message), or an edit. */
async function botSays(channelId: string, content: string, replyTo?: string): Promise<string> {
  const body = { content, ...(replyTo ? { message_reference: { message_id: replyTo } } : {}) };
  const res = await fetch(`${discord.apiUrl}/v10/channels/${channelId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { id: string }).id;
}

async function botEdits(channelId: string, messageId: string, content: string): Promise<void> {
  await fetch(`${discord.apiUrl}/v10/channels/${channelId}/messages/${messageId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ content }),
  });
}

describe('FakeDiscord.waitForReply: a finished streamed reply', () => {
  it('resolves with the final text of a streamed reply, not its first partial edit', async () => {
    const asked = await discord.injectMessage({ content: 'hi', author: USER });
    const finished = discord.waitForReply(asked.id, { settledMs: 1_000 });
    const replyId = await botSays(asked.channel_id, 'Hel', asked.id);
    await botEdits(asked.channel_id, replyId, 'Hello');
    await botEdits(asked.channel_id, replyId, 'Hello world');
    const reply = await finished;
    expect(reply.map((m) => m.content)).toEqual(['Hello world']);
  });

  it('returns every part of a split reply, and not the replies to other messages', async () => {
    const other = await discord.injectMessage({ content: 'first', author: USER });
    const asked = await discord.injectMessage({ content: 'second', author: USER });
    await botSays(other.channel_id, 'to the first', other.id);
    await botSays(asked.channel_id, 'part 1', asked.id);
    await botSays(asked.channel_id, 'part 2');
    const reply = await discord.waitForReply(asked.id, { settledMs: 50 });
    expect(reply.map((m) => m.content)).toEqual(['part 1', 'part 2']);
  });

  it('rejects with FakeDiscordWaitTimeoutError (code, partial reply) when the bot never finishes', async () => {
    const asked = await discord.injectMessage({ content: 'hi', author: USER });
    await botSays(asked.channel_id, 'still typ', asked.id);
    const error = await discord
      .waitForReply(asked.id, { settledMs: 60_000, timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FakeDiscordWaitTimeoutError);
    expect(error).toMatchObject({ code: 'FAKE_DISCORD_WAIT_TIMEOUT', messageId: asked.id });
    expect((error as FakeDiscordWaitTimeoutError).partial.map((m) => m.content)).toEqual(['still typ']);
    expect((error as Error).message).toMatch(/still changing/);
  });

  it('says the bot never replied when no reply came', async () => {
    const asked = await discord.injectMessage({ content: 'hi', author: USER });
    await expect(discord.waitForReply(asked.id, { timeoutMs: 50 })).rejects.toThrow(/never replied/);
  });

  it('is cancelled by its AbortSignal and by close()', async () => {
    const asked = await discord.injectMessage({ content: 'hi', author: USER });
    const controller = new AbortController();
    const aborted = discord.waitForReply(asked.id, { signal: controller.signal });
    controller.abort(new Error('test over'));
    await expect(aborted).rejects.toThrow('test over');
    const closing = discord.waitForReply(asked.id);
    await discord.close();
    await expect(closing).rejects.toThrow(/closed while waiting/);
  });
});
