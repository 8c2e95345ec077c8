import { AbortError, ClosedError, isChatlaneError } from '../errors.ts';
import { type AbortCancel, raceAbort } from '../internal/abort.ts';
import { SessionStoreError, SessionStoreTimeoutError } from './errors.ts';

/**
 * Bounds every store call: the wait ends at `timeoutMs` (`SessionStoreTimeoutError`), when the
 * caller's signal aborts (`AbortError`) or when the cache closes (`ClosedError`), whichever comes
 * first. The store call itself cannot be cancelled: it runs on and its late result is ignored.
 * Any other failure becomes a `SessionStoreError` naming the operation.
 */
export class StoreGuard {
  readonly #timeoutMs: number;
  readonly #closed: AbortSignal;

  constructor(timeoutMs: number, closed: AbortSignal) {
    this.#timeoutMs = timeoutMs;
    this.#closed = closed;
  }

  async run<T>(operation: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const timer = new AbortController();
    // Awaited by the caller, so not unref'd; cleared as soon as the call settles.
    const timeout = setTimeout(() => timer.abort(), this.#timeoutMs);
    const cancels: AbortCancel[] = [];
    if (signal) cancels.push({ signal, error: () => new AbortError(undefined, { cause: signal.reason }) });
    cancels.push(
      { signal: this.#closed, error: () => new ClosedError('SessionCache') },
      { signal: timer.signal, error: () => new SessionStoreTimeoutError(operation, this.#timeoutMs) },
    );
    try {
      return await raceAbort(start(call), cancels);
    } catch (error) {
      throw isChatlaneError(error) ? error : new SessionStoreError(operation, error);
    } finally {
      clearTimeout(timeout);
    }
  }
}

/** The call's promise; a synchronous throw becomes a rejection. */
function start<T>(call: () => Promise<T>): Promise<T> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** True for the errors that end a call instead of degrading it: the caller's abort, `close()`. */
export function isCallEnded(error: unknown): boolean {
  return error instanceof AbortError || error instanceof ClosedError;
}
