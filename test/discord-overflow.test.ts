import { DEFAULT_OVERFLOW_NOTICE } from 'chatlane';
import { snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const fx = useDiscordFixture();

describe('DiscordSender: replies longer than maxParts messages', () => {
  it('sends the rest, whole, as a text file attached to the last message', async () => {
    const channelId = snowflake();
    const sender = fx.makeSender({ maxParts: 2 });
    const paragraphs = Array.from({ length: 6 }, (_, i) => `${i}`.repeat(1_500));
    const text = paragraphs.join('\n\n');
    const result = await sender.send(channelId, text);
    const messages = fx.discord.messages(channelId);
    expect(messages).toHaveLength(2);
    expect(result.messageIds).toEqual(messages.map((message) => message.id));
    expect(messages[1]?.content.endsWith(DEFAULT_OVERFLOW_NOTICE)).toBe(true);
    const [file] = messages[1]?.attachments ?? [];
    expect(file?.filename).toBe('reply.txt');
    expect(file?.content).toBe(paragraphs.slice(2).join('\n\n'));
    expect(file?.size).toBe(Buffer.byteLength(file?.content ?? ''));
    expect(result.attachedChars).toBe(file?.content.length);
    const shown = messages.map((message) => message.content.replace(DEFAULT_OVERFLOW_NOTICE, ''));
    expect(`${shown.join('\n\n')}\n\n${file?.content}`).toBe(text);
    const upload = fx.creates().at(-1);
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(upload?.files.map((f) => f.field)).toEqual(['files[0]']);
  });

  it('attaches nothing when the reply fits', async () => {
    const channelId = snowflake();
    const result = await fx.makeSender().send(channelId, 'x'.repeat(3_000));
    expect(result.attachedChars).toBe(0);
    expect(fx.discord.messages(channelId).every((m) => (m.attachments ?? []).length === 0)).toBe(true);
  });
});

describe('DiscordSender.stream: replies longer than maxParts messages', () => {
  it('ends with the rest attached as a file to the last message, nothing cut', async () => {
    const channelId = snowflake();
    const sender = fx.makeSender({ maxParts: 2, editIntervalMs: 0 });
    const paragraphs = Array.from({ length: 5 }, (_, i) => `${i}`.repeat(1_500));
    const text = paragraphs.join('\n\n');
    async function* deltas(): AsyncIterable<string> {
      for (let at = 0; at < text.length; at += 900) yield text.slice(at, at + 900);
    }
    const result = await sender.stream(channelId, deltas());
    expect(result.error).toBeUndefined();
    const messages = fx.discord.messages(channelId);
    expect(messages).toHaveLength(2);
    const [file, ...others] = messages[1]?.attachments ?? [];
    expect(others).toEqual([]);
    expect(file?.filename).toBe('reply.txt');
    expect(result.attachedChars).toBe(file?.content.length);
    const shown = messages.map((message) => message.content.replace(DEFAULT_OVERFLOW_NOTICE, ''));
    expect(`${shown.join('\n\n')}\n\n${file?.content}`).toBe(text);
    for (const message of messages) expect(message.content.length).toBeLessThanOrEqual(2_000);
  });
});
