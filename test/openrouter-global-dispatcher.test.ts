/**
 * Importing chatlane must not break other HTTP clients in the bot's process: undici 8 would claim
 * Node's legacy global-dispatcher slot on import, and discord.js's REST (its own undici) would
 * then fail every upload ("FormData from other sources is not supported"). Run in a child process:
 * the slot is process-wide and taken once.
 */
import { FakeDiscord, snowflake } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePath, runChild, targetConditions } from './helpers/child.ts';

const child = fixturePath('discord-files-after-chatlane-child.ts');

let discord: FakeDiscord | undefined;
afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

/** Against the built package (`CHATLANE_TARGET=dist`) the child resolves `chatlane` to dist. */
const run = (args: string[]) => runChild(child, args, { nodeArgs: targetConditions });

describe("chatlane's undici and the process's other HTTP clients", () => {
  it('discord.js can still upload a file after an OpenRouterClient was created', async () => {
    discord = await FakeDiscord.start();
    const channelId = snowflake();
    const { code, out } = await run([discord.apiUrl, channelId]);
    expect(out).toContain('posted');
    expect(code).toBe(0);
    const [message] = discord.messages(channelId);
    expect(message?.attachments?.map((a) => a.filename)).toEqual(['notes.txt']);
  });
});
