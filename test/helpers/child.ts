/**
 * Runs a test fixture in a child Node process and collects what it printed. A child that outlives
 * its bound is SIGKILLed and the promise rejects (a hang fails the test, it does not stall the suite).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Default bound on a child's run. */
export const CHILD_TIMEOUT_MS = 15_000;

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The absolute path of `test/fixtures/<name>`. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** `--conditions=chatlane-source`, or nothing against the built package (`CHATLANE_TARGET=dist`). */
export const targetConditions: readonly string[] =
  process.env.CHATLANE_TARGET === 'dist' ? [] : ['--conditions=chatlane-source'];

export interface RunChildOptions {
  /** SIGKILL and reject after this long (default {@link CHILD_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** The child's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The child's working directory (default: this process's). */
  cwd?: string;
  /**
   * Node options before the script. Default: `--conditions=chatlane-source` (`chatlane` resolves to
   * src/); pass {@link targetConditions} to follow `CHATLANE_TARGET`, plus e.g. `--import <hook>`.
   */
  nodeArgs?: readonly string[];
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in the order they arrived. */
  out: string;
}

/** Runs `node [nodeArgs] <script> [args]`; resolves once it exited and its output is read. */
export function runChild(
  script: string,
  args: readonly string[] = [],
  options: RunChildOptions = {},
): Promise<ChildResult> {
  const { timeoutMs = CHILD_TIMEOUT_MS, env, cwd, nodeArgs = ['--conditions=chatlane-source'] } = options;
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeArgs, script, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let out = '';
    const limit = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`child ${script} still running after ${timeoutMs} ms: ${out}`));
    }, timeoutMs);
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      out += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      out += chunk.toString();
    });
    proc.on('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr, out });
    });
  });
}
