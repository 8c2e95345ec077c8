import { PIPELINE_ABORT_GRACE_MS, PIPELINE_SHUTDOWN_DEADLINE_MS } from '../constants.ts';
import { ClosedError } from '../errors.ts';

/** What {@link InFlight.drain} reports. */
export interface DrainResult {
  /** Tasks that finished (resolved or rejected) before the deadline. */
  finished: number;
  /** Tasks still running at the deadline; their signals were aborted. */
  abandoned: number;
}

interface Entry {
  controller: AbortController;
  done: Promise<unknown>;
}

/**
 * Tracks in-flight work for graceful shutdown: `run(fn)` starts a task with its own
 * `AbortSignal`; `drain()` stops new work, waits for running tasks up to a deadline, then aborts
 * the rest. A task's failure stays the caller's (its promise rejects as usual).
 */
export class InFlight {
  readonly #entries = new Set<Entry>();
  #draining = false;

  /** Number of tasks running now. */
  get size(): number {
    return this.#entries.size;
  }

  /** True once `drain()` was called: `run()` then throws a `ClosedError`. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Runs `fn` as a tracked task; `fn` receives a signal aborted if the drain deadline passes. */
  run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#draining) return Promise.reject(new ClosedError('InFlight (draining)'));
    const controller = new AbortController();
    const promise = Promise.resolve().then(() => fn(controller.signal));
    const entry: Entry = { controller, done: promise.catch(() => undefined) };
    this.#entries.add(entry);
    void entry.done.then(() => this.#entries.delete(entry));
    return promise;
  }

  /**
   * Refuses new tasks, then waits up to `deadlineMs` for the running ones; those still running
   * are aborted through their signals and counted as abandoned. It then waits up to `graceMs`
   * more for the aborted tasks to wind down (their apology, their last log lines), so the caller
   * can close pools and logs after it without cutting them off.
   */
  async drain(
    deadlineMs = PIPELINE_SHUTDOWN_DEADLINE_MS,
    graceMs = PIPELINE_ABORT_GRACE_MS,
  ): Promise<DrainResult> {
    this.#draining = true;
    const running = [...this.#entries];
    await settledWithin(running, deadlineMs);
    const left = running.filter((e) => this.#entries.has(e));
    for (const entry of left) entry.controller.abort(new ClosedError('shutdown deadline passed; task'));
    if (left.length > 0) await settledWithin(left, graceMs);
    return { finished: running.length - left.length, abandoned: left.length };
  }
}

/**
 * Resolves when every entry has settled or `ms` passed, whichever comes first. The timer is not
 * `unref`'d: the caller of `drain()` awaits it, so it keeps the process alive until the deadline
 * (else tasks that never settle would let the process exit mid-shutdown, before the abort).
 */
async function settledWithin(entries: readonly Entry[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.all(entries.map((e) => e.done)), timeout]);
  clearTimeout(timer);
}
