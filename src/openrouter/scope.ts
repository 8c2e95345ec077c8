/**
 * One call's lifetime: a controller that the caller's signal and the total deadline abort, so
 * everything in flight for the call is cancelled together. (`close()` does not abort calls: it
 * lets them finish.)
 *
 * The deadline timer is ref'd: a caller is waiting for the call, so the call keeps the process
 * alive until it settles (at the latest at the deadline), whatever it is waiting on at the moment
 * (a backoff, a pooled connection, a dispatcher that unrefs its sockets). `dispose()` clears it.
 */
import { AbortError } from '../errors.ts';
import type { Clock, TimerHandle } from '../internal/clock.ts';
import { TimeoutError } from './errors.ts';

/** The cancellation scope of one `chat()`/`stream()` call. */
export class CallScope {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timer: TimerHandle;
  readonly #deadlineAt: number;
  readonly #onCallerAbort = (): void => {
    this.#controller.abort(
      new AbortError('The call was aborted by its signal', { cause: this.#caller?.reason }),
    );
  };
  /** `clock.now()` at the start of the call. */
  readonly startedAt: number;
  /** The client's clock: every time and timer of the call. */
  readonly clock: Clock;

  constructor(totalTimeoutMs: number, caller: AbortSignal | undefined, clock: Clock) {
    this.clock = clock;
    this.startedAt = clock.now();
    this.#deadlineAt = this.startedAt + totalTimeoutMs;
    this.#caller = caller;
    if (caller?.aborted) this.#onCallerAbort();
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
    this.#timer = clock.setTimeout(() => {
      this.#controller.abort(new TimeoutError('total', totalTimeoutMs));
    }, totalTimeoutMs);
  }

  /** Aborted on caller abort or at the deadline. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True once the caller's signal aborted the call (not the deadline). */
  get abortedByCaller(): boolean {
    const signal = this.#controller.signal;
    return signal.aborted && signal.reason instanceof AbortError;
  }

  /** Time left before the deadline, ms. */
  remainingMs(): number {
    return this.#deadlineAt - this.clock.now();
  }

  /** Aborts the call with `reason`. */
  abort(reason: Error): void {
    this.#controller.abort(reason);
  }

  /** Releases the timer and the caller listener. */
  dispose(): void {
    this.clock.clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }
}

/** A controller aborted when `parent` aborts (with the parent's reason). `unlink()` detaches it. */
export function childController(parent: AbortSignal): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, unlink: () => {} };
  }
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, unlink: () => parent.removeEventListener('abort', onAbort) };
}
