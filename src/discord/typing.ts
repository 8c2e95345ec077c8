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

/** Settings of a {@link TypingIndicators} registry. */
export type TypingSettings = Omit<TypingDeps, 'sendTyping'> & {
  /** Sends one typing request to a channel; must never reject. */
  sendTyping: (channelId: string) => Promise<void>;
};

/**
 * The running typing indicators of a sender, by channel: a message created in a channel stops
 * its indicators (the reply is visible, so no refresh may bring the indicator back).
 */
export class TypingIndicators {
  readonly #settings: TypingSettings;
  readonly #running = new Map<TypingHandle, string>();

  constructor(settings: TypingSettings) {
    this.#settings = settings;
  }

  /**
   * Starts a delayed indicator in `channelId`; returns the function that stops it (also called
   * when `signal` fires).
   */
  start(channelId: string, signal: AbortSignal | undefined): () => void {
    const { clock, delayMs, refreshMs, sendTyping } = this.#settings;
    const handle = startTyping({ clock, delayMs, refreshMs, sendTyping: () => sendTyping(channelId) });
    this.#running.set(handle, channelId);
    const stop = () => {
      signal?.removeEventListener('abort', stop);
      handle.stop();
      this.#running.delete(handle);
    };
    signal?.addEventListener('abort', stop, { once: true });
    return stop;
  }

  /** Stops every indicator in `channelId` (a message was created there). */
  stopChannel(channelId: string): void {
    for (const [handle, channel] of this.#running) if (channel === channelId) handle.stop();
  }

  /** Stops every indicator (the sender is closing). */
  stopAll(): void {
    for (const handle of this.#running.keys()) handle.stop();
    this.#running.clear();
  }
}
