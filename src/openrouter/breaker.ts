/**
 * Per-model circuit breaker: `failureThreshold` consecutive failures open it; after `cooldownMs`
 * one half-open probe is let through; its success closes the breaker, its failure reopens it.
 *
 * Hand-written instead of opossum: opossum trips on a rolling error percentage and runs its
 * cooldown on a timer, while this rule is "N consecutive failures" and is evaluated against the
 * injected clock on each call (no timer to leak, deterministic under a fake clock, ~0 cost).
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** Callbacks a breaker calls on state changes. */
export interface BreakerHooks {
  /** The breaker opened. */
  onOpen(model: string, failures: number, cooldownMs: number): void;
  /** The breaker closed after a successful probe. */
  onClose(model: string): void;
}

/** The breaker of one model. */
export class ModelBreaker {
  readonly model: string;
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #clock: () => number;
  readonly #hooks: BreakerHooks;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probeInFlight = false;

  constructor(
    model: string,
    threshold: number,
    cooldownMs: number,
    clock: () => number,
    hooks: BreakerHooks,
  ) {
    this.model = model;
    this.#threshold = threshold;
    this.#cooldownMs = cooldownMs;
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** Current state (an open breaker past its cooldown reports `half_open`). */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#clock() - this.#openedAt >= this.#cooldownMs) return 'half_open';
    return this.#state;
  }

  /** Consecutive failures so far. */
  get failures(): number {
    return this.#failures;
  }

  /** True if a request may go out now. In half-open state only one probe at a time is allowed. */
  tryAcquire(): boolean {
    if (this.#state === 'closed') return true;
    if (this.state !== 'half_open' || this.#probeInFlight) return false;
    this.#state = 'half_open';
    this.#probeInFlight = true;
    return true;
  }

  /** Records a successful attempt. */
  success(): void {
    this.#failures = 0;
    this.#probeInFlight = false;
    if (this.#state !== 'closed') {
      this.#state = 'closed';
      this.#hooks.onClose(this.model);
    }
  }

  /** Records a failed attempt (a model failure, not a caller abort). */
  failure(): void {
    this.#failures += 1;
    this.#probeInFlight = false;
    if (this.#state === 'half_open' || (this.#state === 'closed' && this.#failures >= this.#threshold)) {
      this.#state = 'open';
      this.#openedAt = this.#clock();
      this.#hooks.onOpen(this.model, this.#failures, this.#cooldownMs);
    }
  }

  /** Releases a half-open probe that ended without a verdict (aborted). */
  release(): void {
    this.#probeInFlight = false;
  }
}
