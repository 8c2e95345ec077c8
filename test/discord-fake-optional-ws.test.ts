import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const hook = fileURLToPath(new URL('./fixtures/no-ws-hook.ts', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/testing-without-ws-child.ts', import.meta.url));
/** Against the built package (`CHATLANE_TARGET=dist`) the child resolves `chatlane/testing` to dist. */
const conditions = process.env.CHATLANE_TARGET === 'dist' ? [] : ['--conditions=chatlane-source'];

function runWithoutWs(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...conditions, '--import', hook, child], {
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

describe('chatlane/testing without the optional ws peer', () => {
  it('loads, runs FakeOpenRouter, and FakeDiscord.start() names the missing ws package', async () => {
    const { code, out } = await runWithoutWs();
    expect(out).toContain('openrouter 200');
    expect(out).toMatch(/discord failed MISSING_PEER_DEPENDENCY: .*'ws'.*npm install/);
    expect(code).toBe(0);
  });
});
