/** One shared load in flight. */
export interface Flight<V> {
  /** Settles with the load; never rejects unhandled (a no-op handler is attached). */
  readonly promise: Promise<V>;
  /** Guild ids the callers tied to this key while it was loading. */
  readonly guildIds: Set<string>;
  /**
   * Set by an invalidation during the load: the result is returned to the callers already waiting
   * but not cached, and later callers start a new load.
   */
  stale: boolean;
}

/** A signal that ends a wait, and the error the wait then rejects with. */
export interface WaitCancel {
  readonly signal: AbortSignal;
  readonly error: () => Error;
}

/**
 * Waits for `promise`, or rejects as soon as one of the `cancels` signals aborts (with that
 * cancel's error). The promise itself runs on: only this wait ends.
 */
export function waitUnlessCancelled<V>(promise: Promise<V>, cancels: readonly WaitCancel[]): Promise<V> {
  const aborted = cancels.find((cancel) => cancel.signal.aborted);
  if (aborted) return Promise.reject(aborted.error());
  return new Promise<V>((resolve, reject) => {
    const listeners = cancels.map((cancel) => {
      const onAbort = () => {
        cleanup();
        reject(cancel.error());
      };
      cancel.signal.addEventListener('abort', onAbort, { once: true });
      return () => cancel.signal.removeEventListener('abort', onAbort);
    });
    const cleanup = () => {
      for (const remove of listeners) remove();
    };
    promise.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}

/**
 * Coalesces concurrent loads of the same key: the first caller starts the load, later callers
 * join it, all get the same value or the same error. A caller's own signal only ends its own
 * wait; the shared load runs on with the group's signal, which only `abortAll()` aborts.
 */
export class SingleFlight<V> {
  readonly #flights = new Map<string, Flight<V>>();
  readonly #controller = new AbortController();
  /** Loads running, detached (forgotten) ones included. */
  #running = 0;

  /** The load in flight for `key`, if any. */
  get(key: string): Flight<V> | undefined {
    return this.#flights.get(key);
  }

  /** Joins the flight for `key`, or starts one with `load`. `joined` tells which. */
  join(
    key: string,
    load: (signal: AbortSignal, flight: Flight<V>) => Promise<V>,
  ): { flight: Flight<V>; joined: boolean } {
    const existing = this.#flights.get(key);
    if (existing) return { flight: existing, joined: true };
    let settle: (value: Promise<V>) => void = () => {};
    const flight: Flight<V> = {
      promise: new Promise<V>((resolve) => {
        settle = resolve;
      }),
      guildIds: new Set(),
      stale: false,
    };
    flight.promise.catch(() => {});
    this.#flights.set(key, flight);
    this.#running += 1;
    settle(
      load(this.#controller.signal, flight).finally(() => {
        this.#running -= 1;
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      }),
    );
    return { flight, joined: false };
  }

  /**
   * Detaches `flight` from `key`: its waiters still get its result, but the next caller starts a
   * new load (used when an invalidation makes the running load stale).
   */
  forget(key: string, flight: Flight<V>): void {
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
  }

  /** Every flight in progress, by key. */
  entries(): IterableIterator<[string, Flight<V>]> {
    return this.#flights.entries();
  }

  /** Loads in progress, including ones detached by `forget()`. */
  get size(): number {
    return this.#running;
  }

  /** Aborts every load (used by `close()`); later loads start already aborted. */
  abortAll(reason: unknown): void {
    this.#controller.abort(reason);
  }
}
