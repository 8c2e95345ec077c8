/**
 * A pending `chat()`/`stream()` keeps the process alive: the timers a caller waits on (retry
 * backoff, call deadline) are ref'd. Checked in child processes, CommonJS and ES modules, against
 * a closed local port so each call sits in retry backoffs with no socket open.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** How long a child may run before it is killed (its call settles in about a second). */
const CHILD_LIMIT_MS = 15_000;

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A local port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs a fixture under Node with the source condition; resolves with its exit code and stdout. */
function runChild(file: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--conditions=chatlane-source', fixture(file), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const limit = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`child ${file} still running after ${CHILD_LIMIT_MS} ms: ${out}${err}`));
    }, CHILD_LIMIT_MS);
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.on('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    proc.on('exit', (code) => {
      clearTimeout(limit);
      resolve({ code, out: out + err });
    });
  });
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
