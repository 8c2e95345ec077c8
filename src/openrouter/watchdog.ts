/**
 * Content-aware stream watchdog. OpenRouter's keep-alive comments (`: OPENROUTER PROCESSING`)
 * reset undici's body timeout, so a stalled generation could hang forever; this timer only counts
 * generated tokens (content, reasoning, tool-call fragments): none within the first-token budget,
 * or none for the idle budget between tokens, aborts the attempt with a retryable
 * {@link TimeoutError}. The first-token budget starts when the request is on the wire
 * ({@link StreamWatchdog.start}), so time spent waiting for a pooled connection never counts.
 *
 * Its timer is unref'd: it only runs while its request is in flight (a ref'd socket) inside a call
 * whose ref'd deadline keeps the process alive, and it re-arms while the consumer holds a token, so
 * a ref'd one would keep a process with an abandoned stream alive for ever.
 */
import type { Clock, TimerHandle } from '../internal/clock.ts';
import { TimeoutError } from './errors.ts';

/** Watches one streamed attempt. One timer, re-armed lazily (no clear/set per token). */
export class StreamWatchdog {
  readonly #controller: AbortController;
  readonly #firstTokenMs: number;
  readonly #idleMs: number;
  readonly #model: string;
  readonly #clock: Clock;
  #timer: TimerHandle | undefined;
  #lastContentAt: number | undefined;
  #held = false;
  #stopped = false;

  constructor(
    controller: AbortController,
    firstTokenMs: number,
    idleMs: number,
    model: string,
    clock: Clock,
  ) {
    this.#clock = clock;
    this.#controller = controller;
    this.#firstTokenMs = firstTokenMs;
    this.#idleMs = idleMs;
    this.#model = model;
  }

  /** The request is on the wire: the first-token budget starts now. Idempotent. */
  start(): void {
    if (this.#timer === undefined && this.#lastContentAt === undefined && !this.#stopped) {
      this.#arm(this.#firstTokenMs);
    }
  }

  /** A generated token arrived (content, or reasoning / a tool-call fragment). */
  content(): void {
    const first = this.#lastContentAt === undefined;
    this.#lastContentAt = this.#clock.now();
    if (first && !this.#stopped) {
      this.#clock.clearTimeout(this.#timer);
      this.#arm(this.#idleMs);
    }
  }

  /**
   * The consumer holds a token: until {@link resume}, its time does not count as a stall (chunks
   * that arrive meanwhile wait unparsed, so their content cannot be seen).
   */
  hold(): void {
    this.#held = true;
  }

  /** The consumer asked for more: the idle clock restarts now. */
  resume(): void {
    this.#held = false;
    if (this.#lastContentAt !== undefined) this.#lastContentAt = this.#clock.now();
  }

  /** Stops watching. */
  stop(): void {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#check(), ms, { background: true });
  }

  #check(): void {
    if (this.#held) {
      this.#arm(this.#idleMs);
      return;
    }
    if (this.#lastContentAt === undefined) {
      this.#controller.abort(new TimeoutError('first_token', this.#firstTokenMs, this.#model));
      return;
    }
    const idle = this.#clock.now() - this.#lastContentAt;
    if (idle >= this.#idleMs) {
      this.#controller.abort(new TimeoutError('idle', this.#idleMs, this.#model));
      return;
    }
    this.#arm(this.#idleMs - idle);
  }
}
