import { FakeDiscord } from 'chatlane/testing';
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { discordProfileLoader } from '../examples/reference-bot/discord.ts';

const TOKEN = 'profile-token';
let discord: FakeDiscord | undefined;
let rest: REST | undefined;

afterEach(async () => {
  rest?.clearHashSweeper();
  rest?.clearHandlerSweeper();
  await discord?.close();
});

describe("the reference bot's Discord profile loader", () => {
  it('loads a profile from GET /users/:id, preferring the global display name', async () => {
    discord = await FakeDiscord.start({ token: TOKEN });
    rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken(TOKEN);
    await discord.injectMessage({
      content: 'hi',
      author: { id: '710000000000000001', username: 'ada', global_name: 'Ada L.' },
    });
    await discord.injectMessage({ content: 'hey', author: { id: '710000000000000002', username: 'grace' } });
    const load = discordProfileLoader(rest);
    const signal = new AbortController().signal;
    expect(await load('710000000000000001', { signal })).toEqual({ displayName: 'Ada L.', locale: 'en' });
    expect(await load('710000000000000002', { signal })).toEqual({ displayName: 'grace', locale: 'en' });
    await expect(load('710000000000000009', { signal })).rejects.toMatchObject({ status: 404, code: 10013 });
  });
});
