import type { Clock, TimerOptions } from '../internal/clock.ts';

/**
 * A {@link Clock} whose time moves only when a test says so: pass it as the `clock` option, so
 * timer-driven logic (edit cadence, typing refresh, rate-limit holds) can be tested
 * deterministically while real HTTP keeps real timers. `background` timers are treated like any
 * other (nothing keeps a virtual process alive).
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start = 0) {
    this.#now = start;
  }

  /** Current virtual time in ms. */
  now(): number {
    return this.#now;
  }

  /** Schedules `callback` at `now() + ms`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number, _options?: TimerOptions): number {
    this.#seq += 1;
    this.#timers.set(this.#seq, { at: this.#now + Math.max(0, ms), callback });
    return this.#seq;
  }

  /** Cancels a timer. */
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in time order (timers they add fire too). */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = [...this.#timers.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next || next[1].at > target) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].callback();
    }
    this.#now = target;
  }
}
