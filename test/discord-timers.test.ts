import { FakeDiscord, snowflake } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePath, runChild, targetConditions } from './helpers/child.ts';

const child = fixturePath('discord-held-send-child.ts');
const HOLD_MS = 400;

let discord: FakeDiscord | undefined;
afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

/** Against the built package (`CHATLANE_TARGET=dist`) the child resolves `chatlane` to dist. */
const run = (args: string[]) => runChild(child, args, { nodeArgs: targetConditions });

describe('DiscordSender timers', () => {
  it('a send waiting out a rate-limit hold keeps the process alive until it is delivered', async () => {
    discord = await FakeDiscord.start();
    const channelId = snowflake();
    discord.script429({ method: 'POST', path: `/channels/${channelId}/messages`, retryAfterMs: HOLD_MS });
    const { code, out } = await run([discord.apiUrl, channelId]);
    expect(out).toContain('first failed');
    expect(out).toContain('sent 1');
    expect(code).toBe(0);
    expect(discord.messages(channelId).map((m) => m.content)).toEqual(['second']);
  });
});
