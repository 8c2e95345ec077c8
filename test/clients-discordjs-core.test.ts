/** `@discordjs/core` over `@discordjs/rest` + `@discordjs/ws` against FakeDiscord (gateway and REST). */
import { Client, GatewayDispatchEvents, GatewayIntentBits } from '@discordjs/core';
import { REST } from '@discordjs/rest';
import { WebSocketManager } from '@discordjs/ws';
import { FakeDiscord } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';

const TOKEN = 'core-test-token';
const ada = { id: '123456789012345678', username: 'ada' };
let discord: FakeDiscord | undefined;
let gateway: WebSocketManager | undefined;
afterEach(async () => {
  await gateway?.destroy();
  await discord?.close();
  gateway = undefined;
  discord = undefined;
});

describe('@discordjs/core × FakeDiscord', () => {
  it('connects through the gateway, receives a message, replies and edits through REST', async () => {
    discord = await FakeDiscord.start({ token: TOKEN });
    const rest = new REST({ api: discord.apiUrl, version: '10' }).setToken(TOKEN);
    gateway = new WebSocketManager({
      token: TOKEN,
      intents:
        GatewayIntentBits.DirectMessages | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
      rest,
    });
    const client = new Client({ rest, gateway });
    const ready = new Promise((resolve) => client.once(GatewayDispatchEvents.Ready, resolve));
    client.on(GatewayDispatchEvents.MessageCreate, async ({ data: message, api }) => {
      if (message.author.bot) return;
      const reply = await api.channels.createMessage(message.channel_id, {
        content: 'pong',
        message_reference: { message_id: message.id },
      });
      await api.channels.editMessage(message.channel_id, reply.id, { content: `pong: ${message.content}` });
    });
    await gateway.connect();
    await ready;

    const asked = await discord.injectMessage({ content: 'ping', author: ada });
    const [reply, ...more] = await discord.waitForReply(asked.id, { settledMs: 200 });
    expect(more).toEqual([]);
    expect(reply?.content).toBe('pong: ping');
    expect(reply?.author.id).toBe(discord.botUser.id);
    expect(discord.identifies).toHaveLength(1);
  });
});
