/**
 * Importing chatlane must not break other HTTP clients in the bot's process: undici 8 would claim
 * Node's legacy global-dispatcher slot on import, and discord.js's REST (its own undici) would
 * then fail every upload ("FormData from other sources is not supported"). Run in a child process:
 * the slot is process-wide and taken once.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FakeDiscord, snowflake } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/discord-files-after-chatlane-child.ts', import.meta.url));
/** Against the built package (`CHATLANE_TARGET=dist`) the child resolves `chatlane` to dist. */
const conditions = process.env.CHATLANE_TARGET === 'dist' ? [] : ['--conditions=chatlane-source'];
const CHILD_TIMEOUT_MS = 15_000;

let discord: FakeDiscord | undefined;
afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...conditions, child, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
      killSignal: 'SIGKILL',
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
