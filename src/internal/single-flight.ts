import { type AbortCancel, raceAbort } from './abort.ts';

/** One shared load in flight. */
export interface Flight<V> {
  /** Settles with the load; never rejects unhandled (a no-op handler is attached). */
  readonly promise: Promise<V>;
  /** The load's signal: aborted by `abortAll()`, or when every waiter left (`cancelWhenAbandoned`). */
  readonly signal: AbortSignal;
  /**
   * Set by an invalidation during the load: the result is returned to the callers already waiting
   * but not cached, and later callers start a new load.
   */
  stale: boolean;
}

/** How a {@link SingleFlight} treats its flights. */
export interface SingleFlightOptions {
  /** Abort a flight when every caller waiting through `wait()` aborted; the next caller starts anew. */
  cancelWhenAbandoned?: boolean;
}

interface FlightState<V> extends Flight<V> {
  readonly controller: AbortController;
  waiters: number;
}

/**
 * The one single-flight of chatlane: concurrent loads of the same key are coalesced. The first
 * caller starts the load, later callers join it, all get the same value or the same error. A
 * caller's own signal only ends its own wait (`wait()`); the shared load runs on with its flight's
 * signal, which `abortAll()` aborts (and, with `cancelWhenAbandoned`, the last waiter leaving).
 * `E` is extra per-flight state the owner keeps on the flight (e.g. the guild ids of its callers).
 */
export class SingleFlight<V, E extends object = object> {
  readonly #flights = new Map<string, FlightState<V> & E>();
  readonly #group = new AbortController();
  readonly #cancelWhenAbandoned: boolean;
  readonly #extra: () => E;
  /** Loads running, detached (forgotten) ones included. */
  #running = 0;

  constructor(options: SingleFlightOptions = {}, extra: () => E = () => ({}) as E) {
    this.#cancelWhenAbandoned = options.cancelWhenAbandoned ?? false;
    this.#extra = extra;
  }

  /** The load in flight for `key`, if any. */
  get(key: string): (Flight<V> & E) | undefined {
    return this.#flights.get(key);
  }

  /** Joins the flight for `key`, or starts one with `load`. `joined` tells which. */
  join(
    key: string,
    load: (signal: AbortSignal, flight: Flight<V> & E) => Promise<V>,
  ): { flight: Flight<V> & E; joined: boolean } {
    const existing = this.#flights.get(key);
    if (existing && !(this.#cancelWhenAbandoned && existing.controller.signal.aborted)) {
      return { flight: existing, joined: true };
    }
    const controller = new AbortController();
    const signal = AbortSignal.any([this.#group.signal, controller.signal]);
    let settle: (value: Promise<V>) => void = () => {};
    const promise = new Promise<V>((resolve) => {
      settle = resolve;
    });
    const flight = Object.assign(this.#extra(), { promise, signal, controller, waiters: 0, stale: false });
    promise.catch(() => {});
    this.#flights.set(key, flight);
    this.#running += 1;
    settle(
      load(signal, flight).finally(() => {
        this.#running -= 1;
        this.forget(key, flight);
      }),
    );
    return { flight, joined: false };
  }

  /**
   * Waits for `flight` unless one of `cancels` aborts first (then only this wait ends; with
   * `cancelWhenAbandoned`, the last waiter leaving aborts the load).
   */
  wait(flight: Flight<V>, cancels: readonly AbortCancel[]): Promise<V> {
    const state = flight as FlightState<V>;
    state.waiters += 1;
    if (!this.#cancelWhenAbandoned) return raceAbort(flight.promise, cancels);
    // The leave is counted inside the abort listener, synchronously: a caller starting right after
    // the last waiter aborted must find the flight already cancelled and start its own.
    const leaving = cancels.map((cancel) => ({
      signal: cancel.signal,
      error: (reason: unknown) => {
        state.waiters -= 1;
        if (state.waiters === 0) state.controller.abort(reason);
        return cancel.error(reason);
      },
    }));
    return raceAbort(flight.promise, leaving);
  }

  /**
   * Detaches `flight` from `key`: its waiters still get its result, but the next caller starts a
   * new load (used when an invalidation makes the running load stale).
   */
  forget(key: string, flight: Flight<V>): void {
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
  }

  /** Every flight in progress, by key. */
  entries(): IterableIterator<[string, Flight<V> & E]> {
    return this.#flights.entries();
  }

  /** Loads in progress, including ones detached by `forget()`. */
  get size(): number {
    return this.#running;
  }

  /** Aborts every load (used by `close()`); later loads start already aborted. */
  abortAll(reason: unknown): void {
    this.#group.abort(reason);
  }
}
