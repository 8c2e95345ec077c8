/**
 * The fake Discord at scale (issue #12): the gateway speaks shards — IDENTIFY `shard: [id, count]`,
 * `GET /gateway/bot` with a recommended count, guild events routed by `(guild_id >> 22) % count`,
 * DMs on shard 0 — with real discord.js clients; and Discord's global limit is enforced per bot
 * token across every connection, its violations and the invalid requests counted.
 */
import { FakeDiscord } from 'chatlane/testing';
import { Client, Events, GatewayIntentBits, type Message, Partials, REST } from 'discord.js';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

const TOKEN = 'scale-token';
const SHARDS = 2;
const shardOf = (guildId: string) => Number((BigInt(guildId) >> 22n) % BigInt(SHARDS));

let discord: FakeDiscord | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await discord?.close();
  discord = undefined;
});

async function shard(fake: FakeDiscord, id: number): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    shards: [id],
    shardCount: SHARDS,
    rest: { api: fake.apiUrl },
  });
  clients.push(client);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(TOKEN);
  await ready;
  return client;
}

describe('FakeDiscord gateway shards', () => {
  it('routes each guild to its shard and DMs to shard 0, as Discord does', async () => {
    discord = await FakeDiscord.start({
      token: TOKEN,
      recommendedShards: SHARDS,
      guilds: Array.from({ length: 8 }, () => ({ channels: [{}] })),
    });
    const fake = discord;
    const gatewayBot = await new REST({ api: fake.apiUrl }).setToken(TOKEN).get('/gateway/bot');
    expect(gatewayBot).toMatchObject({ shards: SHARDS });
    const shards = [await shard(fake, 0), await shard(fake, 1)];
    expect(fake.identifies.map((identify) => identify.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const guildIds = shards.map((client) => [...client.guilds.cache.keys()].sort());
    expect(guildIds.flat()).toHaveLength(8);
    for (const [id, ids] of guildIds.entries())
      expect(ids.every((guildId) => shardOf(guildId) === id)).toBe(true);

    const seen: Array<Array<Message>> = [[], []];
    for (const [id, client] of shards.entries()) client.on(Events.MessageCreate, (m) => seen[id]!.push(m));
    const guilds = shards.flatMap((client) => [...client.guilds.cache.values()]);
    for (const guild of guilds) {
      const channelId = guild.channels.cache.first()!.id;
      await fake.injectMessage({
        guildId: guild.id,
        channelId,
        content: `hi ${guild.id}`,
        author: { id: '42', username: 'u' },
      });
    }
    await fake.injectMessage({ content: 'a DM', author: { id: '43', username: 'v' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const [id, messages] of seen.entries()) {
      const inGuilds = messages.filter((m) => m.guildId !== null);
      expect(inGuilds.every((m) => shardOf(m.guildId!) === id)).toBe(true);
      expect(inGuilds).toHaveLength(guildIds[id]!.length);
    }
    expect(seen[0]!.filter((m) => m.guildId === null).map((m) => m.content)).toEqual(['a DM']);
    expect(seen[1]!.filter((m) => m.guildId === null)).toEqual([]);
  });
});

describe('FakeDiscord global limit', () => {
  it('answers a global 429 past 50 requests/s per token, across connections, and counts them', async () => {
    discord = await FakeDiscord.start({ token: TOKEN });
    const fake = discord;
    const get = (token: string) =>
      request(`${fake.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${token}` } }).then(
        async (res) => {
          await res.body.dump();
          return { status: res.statusCode, global: res.headers['x-ratelimit-global'] };
        },
      );
    // 60 at once from two "processes" (each its own connections): 50 pass, 10 are over the limit.
    const answers = await Promise.all(Array.from({ length: 60 }, () => get(TOKEN)));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(10);
    expect(limited.every((a) => a.global === 'true')).toBe(true);
    expect(fake.globalLimitViolations).toBe(10);
    expect(fake.invalidRequests).toBe(10);
    // Another token has its own limit (and is refused as unauthorized: also an invalid request).
    expect((await get('other')).status).toBe(401);
    expect(fake.invalidRequests).toBe(11);
  });

  it('discord.js REST keeps one process under the limit: no violation', async () => {
    discord = await FakeDiscord.start({ token: TOKEN });
    const rest = new REST({ api: discord.apiUrl }).setToken(TOKEN);
    await Promise.all(Array.from({ length: 70 }, () => rest.get('/users/@me')));
    expect(discord.globalLimitViolations).toBe(0);
  });

  it('globalLimit: false turns it off', async () => {
    discord = await FakeDiscord.start({ token: TOKEN, globalLimit: false, bucketLimit: 1_000 });
    const fake = discord;
    const statuses = await Promise.all(
      Array.from({ length: 80 }, async () => {
        const res = await request(`${fake.apiUrl}/v10/users/@me`, {
          headers: { authorization: `Bot ${TOKEN}` },
        });
        await res.body.dump();
        return res.statusCode;
      }),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(fake.globalLimitViolations).toBe(0);
  });
});
