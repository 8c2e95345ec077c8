import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/signal-child.ts', import.meta.url));

function run(signal: NodeJS.Signals, times = 1, drainMs = 50): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, String(drainMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.startsWith('ready') || proc.killed) return;
      proc.kill(signal);
      // A second signal a moment later (identical pending signals would merge into one).
      if (times > 1) setTimeout(() => proc.kill(signal), 10);
    });
    proc.on('error', reject);
    proc.on('exit', (code) => resolve({ code, out }));
  });
}

describe('reference bot signal handling', () => {
  it('SIGTERM runs the graceful shutdown to its end, then exits 0', async () => {
    const { code, out } = await run('SIGTERM');
    expect(out).toContain('drained after SIGTERM');
    expect(code).toBe(0);
  });

  it('SIGINT does the same', async () => {
    const { code, out } = await run('SIGINT');
    expect(out).toContain('drained after SIGINT');
    expect(code).toBe(0);
  });

  it('a second signal during shutdown exits at once with 130', async () => {
    const { code, out } = await run('SIGINT', 2, 10_000); // the shutdown would take 10 s
    expect(out).not.toContain('drained');
    expect(code).toBe(130);
  });
});
