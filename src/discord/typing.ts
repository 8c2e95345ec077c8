import type { Clock, TimerHandle, TimerOptions } from '../internal/clock.ts';

/** Typing timers are background: nobody awaits them, `stop()` (and the sender's `close()`) clears them. */
const BACKGROUND: TimerOptions = { background: true };

/** What a typing indicator needs. */
export interface TypingDeps {
  clock: Clock;
  /** The indicator starts only if the work is still running after this long. */
  delayMs: number;
  /** Refresh interval while the work runs. */
  refreshMs: number;
  /** Sends one typing request; must never reject (failures are counted by the caller). */
  sendTyping: () => Promise<void>;
}

/** A running indicator: `stop()` clears its timers (idempotent). */
export interface TypingHandle {
  stop(): void;
}

/**
 * Starts a delayed, self-refreshing typing indicator: nothing is sent if `stop()` comes before
 * `delayMs`; otherwise one request at `delayMs` and one every `refreshMs` until `stop()`.
 * Discord has no "stop typing" call: sending the reply ends the indicator.
 */
export function startTyping(deps: TypingDeps): TypingHandle {
  let timer: TimerHandle | undefined;
  let stopped = false;
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    void deps.sendTyping();
    timer = deps.clock.setTimeout(tick, deps.refreshMs, BACKGROUND);
  };
  timer = deps.clock.setTimeout(tick, deps.delayMs, BACKGROUND);
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
