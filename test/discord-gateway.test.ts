import { DiscordSender } from 'chatlane';
import { FakeDiscord } from 'chatlane/testing';
import { Client, Events, GatewayIntentBits, type Message, Partials, REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const TOKEN = 'fake-token';

/** Polls `condition` until true (bounded by the test timeout). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

function intents() {
  return [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages,
    GatewayIntentBits.MessageContent,
  ];
}

describe('FakeDiscord gateway with a real discord.js Client', () => {
  let discord: FakeDiscord;
  let client: Client | undefined;

  beforeEach(async () => {
    discord = await FakeDiscord.start({
      token: TOKEN,
      guilds: [{ name: 'Test guild', channels: [{ name: 'general' }] }],
    });
  });

  afterEach(async () => {
    await client?.destroy();
    client = undefined;
    await discord.close();
  });

  async function login(partials: Partials[] = [Partials.Channel]): Promise<Client> {
    const created = new Client({ intents: intents(), partials, rest: { api: discord.apiUrl } });
    client = created;
    const ready = new Promise<void>((resolve) => created.once(Events.ClientReady, () => resolve()));
    await created.login(TOKEN);
    await ready;
    return created;
  }

  function nextMessage(on: Client): Promise<Message> {
    return new Promise((resolve) => on.once(Events.MessageCreate, resolve));
  }

  it('logs in, sees its user and guild, and receives a guild message', async () => {
    const client = await login();
    expect(client.user?.id).toBe(discord.botUser.id);
    expect(client.guilds.cache.size).toBe(1);
    const guild = client.guilds.cache.first();
    const channel = guild?.channels.cache.first();
    expect(channel?.name).toBe('general');
    const received = nextMessage(client);
    const injected = await discord.injectMessage({
      guildId: guild?.id ?? '',
      channelId: channel?.id ?? '',
      content: `<@${discord.botUser.id}> hello`,
      author: { id: '123456789012345678', username: 'alice' },
    });
    const message = await received;
    expect(message.id).toBe(injected.id);
    expect(message.content).toBe(`<@${discord.botUser.id}> hello`);
    expect(message.author.username).toBe('alice');
    expect(message.guildId).toBe(guild?.id);
    expect(message.mentions.users.has(discord.botUser.id)).toBe(true);
    expect(discord.identifies[0]?.token).toBe(TOKEN);
  });

  it('delivers a DM to a client with partials: [Partials.Channel], and the reply lands in the DM', async () => {
    const client = await login();
    const received = nextMessage(client);
    await discord.injectMessage({
      content: 'hi in DM',
      author: { id: '223456789012345678', username: 'bob' },
    });
    const message = await received;
    expect(message.channel.isDMBased()).toBe(true);
    expect(message.guildId).toBeNull();
    const reply = await message.reply('pong');
    expect(discord.messages(message.channelId).map((m) => m.content)).toEqual(['hi in DM', 'pong']);
    expect(reply.author.id).toBe(discord.botUser.id);
  });

  it('creates a guild the client did not know and still delivers the message', async () => {
    const client = await login();
    const received = nextMessage(client);
    await discord.injectMessage({
      guildId: '323456789012345678',
      channelId: '423456789012345678',
      content: 'new place',
      author: { id: '123456789012345678', username: 'alice' },
    });
    const message = await received;
    expect(message.guild?.id).toBe('323456789012345678');
  });

  it('a REST client with the same token reaches the fake', async () => {
    const rest = new REST({ api: discord.apiUrl }).setToken(TOKEN);
    const me = (await rest.get('/users/@me')) as { id: string };
    expect(me.id).toBe(discord.botUser.id);
  });
});

describe('DiscordSender on a logged-in discord.js Client', () => {
  it('answers an injected message by streaming a reply through client.rest', async () => {
    const discord = await FakeDiscord.start({ token: TOKEN, guilds: [{ channels: [{}] }] });
    const client = new Client({
      intents: intents(),
      partials: [Partials.Channel],
      rest: { api: discord.apiUrl },
    });
    const sender = new DiscordSender({ client, editIntervalMs: 0 });
    try {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(TOKEN);
      await ready;
      const answered = new Promise<string[]>((resolve, reject) => {
        client.once(Events.MessageCreate, (message) => {
          async function* reply() {
            yield { type: 'delta', delta: 'Hi ' };
            yield { type: 'delta', delta: message.author.username };
          }
          sender
            .stream(message.channelId, reply(), { replyTo: message.id })
            .then((result) => resolve(result.messageIds), reject);
        });
      });
      const prompt = await discord.injectMessage({
        content: 'hello bot',
        author: { id: '523456789012345678', username: 'carol' },
      });
      const ids = await answered;
      const messages = discord.messages(prompt.channel_id);
      expect(messages.map((m) => m.content)).toEqual(['hello bot', 'Hi carol']);
      expect(messages[1]?.id).toBe(ids[0]);
      expect(messages[1]?.message_reference?.message_id).toBe(prompt.id);
      expect(discord.requests.every((r) => r.headers.authorization === `Bot ${TOKEN}`)).toBe(true);
    } finally {
      await sender.close();
      await client.destroy();
      await discord.close();
    }
  });
});

describe('FakeDiscord gateway heartbeats', () => {
  it('acknowledges heartbeats, and client.destroy() closes the session cleanly', async () => {
    const discord = await FakeDiscord.start({ heartbeatIntervalMs: 40 });
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
    try {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login('any-token');
      await ready;
      expect(discord.gatewayConnections).toBe(1);
      await until(() => client.ws.ping >= 0);
      expect(client.ws.ping).toBeGreaterThanOrEqual(0);
    } finally {
      await client.destroy();
    }
    await until(() => discord.gatewayConnections === 0);
    expect(discord.gatewayConnections).toBe(0);
    await discord.close();
  });
});

describe('FakeDiscord session invalidation', () => {
  it('a client re-identifies after INVALID_SESSION and keeps receiving messages', async () => {
    const discord = await FakeDiscord.start();
    const client = new Client({
      intents: intents(),
      partials: [Partials.Channel],
      rest: { api: discord.apiUrl },
      // discord.js waits 5 s between identifies of a shard; the fake has no such limit.
      ws: { buildIdentifyThrottler: async () => ({ waitForIdentify: async () => {} }) },
    });
    try {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login('any-token');
      await ready;
      await discord.invalidateSessions();
      await until(() => discord.identifies.length === 2 && discord.gatewayConnections === 1);
      const received = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
      await discord.injectMessage({
        content: 'after reconnect',
        author: { id: '623456789012345678', username: 'dan' },
      });
      expect((await received).content).toBe('after reconnect');
    } finally {
      await client.destroy();
      await discord.close();
    }
  });
});

describe('FakeDiscord extra routes used by bots', () => {
  it('supports reactions and fetching recent messages through a Client', async () => {
    const discord = await FakeDiscord.start();
    const client = new Client({
      intents: intents(),
      partials: [Partials.Channel],
      rest: { api: discord.apiUrl },
    });
    try {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login('any-token');
      await ready;
      const received = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
      await discord.injectMessage({
        content: 'react to me',
        author: { id: '723456789012345678', username: 'eve' },
      });
      const message = await received;
      await message.react('👍');
      if (message.channel.isSendable()) await message.channel.sendTyping();
      const recent = await message.channel.messages.fetch({ limit: 10 });
      expect(recent.map((m) => m.content)).toEqual(['react to me']);
      expect(discord.requests.map((r) => r.method)).toEqual(expect.arrayContaining(['PUT', 'GET']));
    } finally {
      await client.destroy();
      await discord.close();
    }
  });
});

describe('FakeDiscord echoBotMessages', () => {
  it('dispatches the bot its own created messages, like Discord', async () => {
    const discord = await FakeDiscord.start({ echoBotMessages: true });
    const client = new Client({
      intents: intents(),
      partials: [Partials.Channel],
      rest: { api: discord.apiUrl },
    });
    const sender = new DiscordSender({ client });
    try {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login('any-token');
      await ready;
      const seen: Message[] = [];
      client.on(Events.MessageCreate, (message) => seen.push(message));
      const prompt = await discord.injectMessage({
        content: 'ping',
        author: { id: '823456789012345678', username: 'fay' },
      });
      await until(() => seen.length === 1);
      await sender.send(prompt.channel_id, 'pong');
      await until(() => seen.length === 2);
      expect(seen.map((m) => [m.content, m.author.bot])).toEqual([
        ['ping', false],
        ['pong', true],
      ]);
    } finally {
      await sender.close();
      await client.destroy();
      await discord.close();
    }
  });
});

describe('FakeDiscord.waitForGateway', () => {
  it('lets a test inject right after login without waiting for clientReady', async () => {
    const discord = await FakeDiscord.start({ guilds: [{ channels: [{}] }] });
    const client = new Client({
      intents: intents(),
      partials: [Partials.Channel],
      rest: { api: discord.apiUrl },
    });
    try {
      const received = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
      void client.login('any-token');
      await discord.waitForGateway();
      await discord.injectMessage({
        content: 'early',
        author: { id: '923456789012345678', username: 'gus' },
      });
      expect((await received).content).toBe('early');
    } finally {
      await client.destroy();
      await discord.close();
    }
  });
});
