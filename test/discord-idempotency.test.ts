import { DiscordSender } from 'chatlane';
import { FakeDiscord, snowflake } from 'chatlane/testing';
import { Client, Events, GatewayIntentBits, type Message, Options, Partials, REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const TOKEN = 'idempotency-token';
/** Three parts of one paragraph each. */
const LONG_REPLY = ['a', 'b', 'c'].map((letter) => letter.repeat(1_900)).join('\n\n');

let discord: FakeDiscord;
const rests: REST[] = [];
const senders: DiscordSender[] = [];
let client: Client | undefined;

beforeEach(async () => {
  discord = await FakeDiscord.start({ token: TOKEN });
});

afterEach(async () => {
  await Promise.all(senders.splice(0).map((sender) => sender.close()));
  for (const rest of rests.splice(0)) {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
  await client?.destroy();
  client = undefined;
  await discord.close();
});

/** A sender on its own REST client: what a second process (or a second listener) would have. */
function processSender(): DiscordSender {
  const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken(TOKEN);
  rests.push(rest);
  const sender = new DiscordSender({ rest, editIntervalMs: 0 });
  senders.push(sender);
  return sender;
}

async function* deltas(text: string, size: number): AsyncIterable<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
}

describe('DiscordSender idempotent creates', () => {
  it('two senders answering the same message create each part once', async () => {
    const channelId = snowflake();
    const replyTo = snowflake();
    const [first, second] = await Promise.all([
      processSender().send(channelId, LONG_REPLY, { replyTo }),
      processSender().send(channelId, LONG_REPLY, { replyTo }),
    ]);
    expect(discord.messages(channelId)).toHaveLength(3);
    expect(second.messageIds).toEqual(first.messageIds);
    const nonces = discord.messages(channelId).map((message) => message.nonce);
    expect(nonces).toEqual([`${replyTo}:0`, `${replyTo}:1`, `${replyTo}:2`]);
  });

  it('two streams of the same reply to the same message post each message once', async () => {
    const channelId = snowflake();
    const replyTo = snowflake();
    const results = await Promise.all([
      processSender().stream(channelId, deltas(LONG_REPLY, 700), { replyTo }),
      processSender().stream(channelId, deltas(LONG_REPLY, 500), { replyTo }),
    ]);
    const messages = discord.messages(channelId);
    expect(messages).toHaveLength(3);
    expect(results[1]?.messageIds).toEqual(results[0]?.messageIds);
    expect(messages.map((message) => message.content).join('\n\n')).toBe(LONG_REPLY);
  });

  it('uses idempotencyKey instead of replyTo, and random nonces without either', async () => {
    const channelId = snowflake();
    const sender = processSender();
    await sender.send(channelId, 'once', { idempotencyKey: 'job-42' });
    await sender.send(channelId, 'once', { idempotencyKey: 'job-42' });
    await sender.send(channelId, 'twice');
    await sender.send(channelId, 'twice');
    expect(discord.messages(channelId).map((message) => message.content)).toEqual(['once', 'twice', 'twice']);
    expect(discord.messages(channelId)[0]?.nonce).toBe('job-42:0');
  });

  it('hashes a key too long for Discord into a 25-character nonce', async () => {
    const channelId = snowflake();
    await processSender().send(channelId, 'hi', { idempotencyKey: 'k'.repeat(40) });
    await processSender().send(channelId, 'hi', { idempotencyKey: 'k'.repeat(40) });
    expect(discord.messages(channelId)).toHaveLength(1);
    expect(discord.messages(channelId)[0]?.nonce).toMatch(/^[0-9a-f]{25}$/);
  });

  it('a send after a stream to the same message is not taken for the streamed message', async () => {
    const channelId = snowflake();
    const replyTo = snowflake();
    const sender = processSender();
    await sender.stream(channelId, deltas('streamed answer', 5), { replyTo });
    await sender.send(channelId, 'sorry, something failed', { replyTo });
    expect(discord.messages(channelId).map((message) => message.content)).toEqual([
      'streamed answer',
      'sorry, something failed',
    ]);
  });
});

/**
 * A discord.js client logged in to the fake without a message cache: discord.js drops a
 * MESSAGE_CREATE of a message still in its cache; without one (or in a second process) a replay
 * reaches the handler again, which must de-duplicate. Closed after the test.
 */
async function loginWithoutMessageCache(
  intents: GatewayIntentBits[],
  onMessage: (message: Message) => void,
): Promise<Client> {
  const created = new Client({
    intents,
    partials: [Partials.Channel],
    rest: { api: discord.apiUrl },
    makeCache: Options.cacheWithLimits({ MessageManager: 0 }),
  });
  client = created;
  created.on(Events.MessageCreate, onMessage);
  const ready = new Promise<void>((resolve) => created.once(Events.ClientReady, () => resolve()));
  await created.login(TOKEN);
  await ready;
  return created;
}

describe('FakeDiscord.replayMessage', () => {
  it('delivers the same MESSAGE_CREATE again to the connected client', async () => {
    const intents = [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.MessageContent,
    ];
    const handled: string[] = [];
    await loginWithoutMessageCache(intents, (message) => handled.push(`${message.id} ${message.content}`));
    const injected = await discord.injectMessage({
      content: 'hi',
      author: { id: snowflake(), username: 'al' },
    });
    expect(await discord.replayMessage(injected.id)).toBe(1);
    while (handled.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(handled).toEqual([`${injected.id} hi`, `${injected.id} hi`]);
    await expect(discord.replayMessage('1')).rejects.toThrow(/no injected message/);
  });

  it('a resume after reconnectSessions({ replayLast: 1 }) re-delivers the last MESSAGE_CREATE', async () => {
    const intents = [GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent];
    const handled: string[] = [];
    const created = await loginWithoutMessageCache(intents, (message) => handled.push(message.content));
    const author = { id: snowflake(), username: 'al' };
    await discord.injectMessage({ content: 'first', author });
    while (handled.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const resumed = new Promise<void>((resolve) => created.once(Events.ShardResume, () => resolve()));
    discord.reconnectSessions({ replayLast: 1 });
    await resumed;
    while (handled.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await discord.injectMessage({ content: 'after', author });
    while (handled.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(handled).toEqual(['first', 'first', 'after']);
    expect(discord.identifies).toHaveLength(1); // resumed, not re-identified
  });
});
