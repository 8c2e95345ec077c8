/**
 * Content-aware stream watchdog. OpenRouter's keep-alive comments (`: OPENROUTER PROCESSING`)
 * reset undici's body timeout, so a stalled generation could hang forever; this timer only counts
 * generated tokens (content, reasoning, tool-call fragments): none within the first-token budget,
 * or none for the idle budget between tokens, aborts the attempt with a retryable
 * {@link TimeoutError}.
 */
import { TimeoutError } from './errors.ts';

/** Watches one streamed attempt. One timer, re-armed lazily (no clear/set per token). */
export class StreamWatchdog {
  readonly #controller: AbortController;
  readonly #firstTokenMs: number;
  readonly #idleMs: number;
  readonly #model: string;
  #timer: NodeJS.Timeout | undefined;
  #lastContentAt: number | undefined;
  #held = false;

  constructor(controller: AbortController, firstTokenMs: number, idleMs: number, model: string) {
    this.#controller = controller;
    this.#firstTokenMs = firstTokenMs;
    this.#idleMs = idleMs;
    this.#model = model;
    this.#arm(firstTokenMs);
  }

  /** A generated token arrived (content, or reasoning / a tool-call fragment). */
  content(): void {
    const first = this.#lastContentAt === undefined;
    this.#lastContentAt = performance.now();
    if (first && this.#timer !== undefined) {
      clearTimeout(this.#timer);
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
    if (this.#lastContentAt !== undefined) this.#lastContentAt = performance.now();
  }

  /** Stops watching. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms);
    this.#timer.unref();
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
    const idle = performance.now() - this.#lastContentAt;
    if (idle >= this.#idleMs) {
      this.#controller.abort(new TimeoutError('idle', this.#idleMs, this.#model));
      return;
    }
    this.#arm(this.#idleMs - idle);
  }
}
