import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FakeDiscord, snowflake } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/discord-held-send-child.ts', import.meta.url));
const HOLD_MS = 400;
/** Against the built package (`CHATLANE_TARGET=dist`) the child resolves `chatlane` to dist. */
const conditions = process.env.CHATLANE_TARGET === 'dist' ? [] : ['--conditions=chatlane-source'];

let discord: FakeDiscord | undefined;
afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...conditions, child, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('exit', (code) => resolve({ code, out }));
  });
}

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
