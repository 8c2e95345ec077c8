import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/awaited-timer-child.ts', import.meta.url));
/** Upper bound for the child (a hang must fail the test, not stall the suite). */
const CHILD_TIMEOUT_MS = 15_000;

/** Runs the fixture with `scenario`; resolves with its exit code and stdout. */
function runChild(scenario: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--conditions=chatlane-source', child, scenario], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a timer a pending caller awaits keeps the process alive', () => {
  it('FastPathRouter.route() with a classifier that never settles returns the emergency decision', async () => {
    const { code, stdout, stderr } = await runChild('router');
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'routed source=emergency timedOut=true\n',
      stderr: '',
    });
  });

  it('InFlight.drain() with a task that never settles reports it abandoned', async () => {
    const { code, stdout, stderr } = await runChild('drain');
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'drained finished=0 abandoned=1\n',
      stderr: '',
    });
  });

  it('TemplateCache.compile() on a worker keeps the process alive, and the idle pool lets it exit', async () => {
    const { code, stdout, stderr } = await runChild('template-worker');
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'compiled workerCompiles=1 Hello x\n',
      stderr: '',
    });
  });
});
