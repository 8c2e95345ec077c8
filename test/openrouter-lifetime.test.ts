/**
 * A pending `chat()`/`stream()` keeps the process alive: the timers a caller waits on (retry
 * backoff, call deadline) are ref'd. Checked in child processes, CommonJS and ES modules, against
 * a closed local port so each call sits in retry backoffs with no socket open.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fixturePath, runChild as runNode } from './helpers/child.ts';

/** A local port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Runs a fixture under Node with the source condition (killed after 15 s; its call settles in about
 * a second); resolves with its exit code and its stdout followed by its stderr.
 */
async function runChild(file: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const { code, stdout, stderr } = await runNode(fixturePath(file), args);
  return { code, out: stdout + stderr };
}

describe('a pending call keeps the process alive through its retry backoffs', () => {
  it('CommonJS: main().catch() runs the catch and the finally, exit code set by the script', async () => {
    const { code, out } = await runChild('openrouter-backoff-child.cjs', [String(await closedPort())]);
    expect(out).toContain('finally\ncaught OPENROUTER_ALL_MODELS_FAILED\n');
    expect(code).toBe(3);
  });

  it.each(['chat', 'stream'])('ES module: a top-level awaited %s() settles (no exit 13)', async (kind) => {
    const { code, out } = await runChild('openrouter-backoff-child.mjs', [String(await closedPort()), kind]);
    expect(out).toContain('caught OPENROUTER_ALL_MODELS_FAILED\nfinally\n');
    expect(code).toBe(3);
  });
});
