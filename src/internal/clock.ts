/** The one clock shape of chatlane: time and timers, injectable so tests drive time by hand. */
import { z } from 'zod';

/** A timer handle returned by a {@link Clock}. */
export type TimerHandle = unknown;

/** How a timer relates to the process lifetime. */
export interface TimerOptions {
  /**
   * A background timer nobody awaits (a typing refresh, a cleanup): the real clock `unref()`s it,
   * so it never keeps the process alive, and its owner clears it on `close()`. Timers a pending
   * caller waits on (rate-limit holds, edit cadence, deadlines) are not background: they keep the
   * process alive.
   * @default false
   */
  background?: boolean;
}

/**
 * Time source and timers of a primitive: the `clock` option of every primitive takes one.
 * `ManualClock` from `chatlane/testing` implements it for deterministic tests. The real one is
 * monotonic `performance.now()` with Node timers; `Logger` and `SloMonitor`, which stamp events with
 * the time of day, default to a wall clock (`Date.now()`) instead.
 */
export interface Clock {
  /**
   * Current time in milliseconds. Durations and expiries use only differences; `Logger` and
   * `SloMonitor` also print it as a time of day (epoch ms).
   */
  now(): number;
  /** Runs `callback` after `ms` (the real clock `unref()`s only a `background` timer). */
  setTimeout(callback: () => void, ms: number, options?: TimerOptions): TimerHandle;
  /** Cancels a timer from `setTimeout`. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock: monotonic `performance.now()` (sub-millisecond stats); a timer a caller awaits
 * keeps the process alive, a `background` one is `unref()`'d.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms, options) => {
    const timer = setTimeout(callback, ms);
    return options?.background === true ? timer.unref() : timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** True for a value shaped like a {@link Clock} (used by option schemas). */
export function isClock(value: unknown): value is Clock {
  const clock = value as Partial<Clock> | null;
  return (
    typeof clock?.now === 'function' &&
    typeof clock.setTimeout === 'function' &&
    typeof clock.clearTimeout === 'function'
  );
}

/** The real clock read as the time of day (`Date.now()`), for primitives that stamp events. */
export const wallClock: Clock = {
  now: () => Date.now(),
  setTimeout: systemClock.setTimeout,
  clearTimeout: systemClock.clearTimeout,
};

/** The zod schema of every primitive's `clock` option: a {@link Clock}, `fallback` when absent. */
export function clockOption(fallback: Clock) {
  return z.custom<Clock>(isClock, 'Expected a Clock ({ now, setTimeout, clearTimeout })').default(fallback);
}
