/**
 * Per-model circuit breaker: `failureThreshold` consecutive failed calls open it; after `cooldownMs`
 * one half-open probe is let through; its success closes the breaker, its failure reopens it.
 * The ladder reports one verdict per call and model (a call's retries are one failure), see
 * `ladder.ts`.
 *
 * Late results: every permit carries the breaker's generation (how many times it has opened) at
 * admission. A verdict counts only in the generation its call was admitted in, so a call that
 * started before the breaker opened may add to the failures that open it, but once it is open
 * its late success cannot close it (nor reset the count after the probe closed it), and its late
 * failure cannot decide a half-open breaker: only the probe does. Late verdicts are counted.
 *
 * Built on an opossum `CircuitBreaker` used only as the state machine (closed / open / half-open,
 * its `open`/`close` events, and its unref'd reset timer that moves an open breaker to half-open
 * after `resetTimeout`). Opossum's own trip rule (an error percentage over a rolling window) is
 * not ours, so it is switched off and the circuit is never `fire()`d: this class counts
 * consecutive failures and calls `open()` / `close()` itself. The request path only reads state.
 */
import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * What {@link ModelBreaker.tryAcquire} let through: a call on a closed breaker, or the single
 * half-open probe, stamped with the breaker's generation. The verdict of the call is reported with
 * the same permit.
 */
export interface BreakerPermit {
  readonly kind: 'call' | 'probe';
  /** Times the breaker had opened when the permit was given. */
  readonly generation: number;
}

/** Where a state change came from: this process's verdicts, or a peer's (shared state). */
export type BreakerOrigin = 'local' | 'remote';

/** Callbacks a breaker calls on state changes. */
export interface BreakerHooks {
  /** The breaker opened. */
  onOpen(model: string, failures: number, cooldownMs: number, origin: BreakerOrigin): void;
  /** The breaker closed after a successful probe (here, or a peer's). */
  onClose(model: string, origin: BreakerOrigin): void;
}

/** Opossum's statistics never open the circuit: 100 % errors over an unreachable volume. */
const NEVER_TRIP_ON_STATS = {
  errorThresholdPercentage: 100,
  volumeThreshold: Number.MAX_SAFE_INTEGER,
  allowWarmUp: false,
} as const;

/** The circuit is never fired; it needs an action anyway. */
const neverFired = async (): Promise<void> => {};

/** The breaker of one model. */
export class ModelBreaker {
  readonly model: string;
  readonly #threshold: number;
  readonly #circuit: CircuitBreaker<[], void>;
  #failures = 0;
  #probeInFlight = false;
  /** Times the breaker opened: the generation of the permits given now. */
  #generation = 0;
  #lateVerdicts = 0;
  /** The state when `shutdown()` ran (opossum forgets it). */
  #finalState: BreakerState | undefined;
  /** Origin of the state change under way (read by the circuit's event handlers). */
  #origin: BreakerOrigin = 'local';

  constructor(model: string, threshold: number, cooldownMs: number, hooks: BreakerHooks) {
    this.model = model;
    this.#threshold = threshold;
    this.#circuit = new CircuitBreaker(neverFired, {
      ...NEVER_TRIP_ON_STATS,
      name: model,
      resetTimeout: cooldownMs,
      timeout: false,
      // No periodic timers: buckets rotate on an emitter that never emits, no snapshots.
      rotateBucketController: new EventEmitter(),
      enableSnapshots: false,
      rollingPercentilesEnabled: false,
    });
    this.#circuit.on('open', () => {
      this.#generation += 1;
      hooks.onOpen(model, this.#failures, cooldownMs, this.#origin);
    });
    this.#circuit.on('close', () => hooks.onClose(model, this.#origin));
  }

  /** Current state (an open breaker past its cooldown is `half_open`). */
  get state(): BreakerState {
    const circuit = this.#circuit;
    if (circuit.closed) return 'closed';
    if (circuit.halfOpen) return 'half_open';
    return this.#finalState ?? 'open';
  }

  /** Consecutive failures so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Verdicts ignored because their call was admitted before the breaker last opened. */
  get lateVerdicts(): number {
    return this.#lateVerdicts;
  }

  /**
   * Lets a call through: `'call'` while closed, `'probe'` for the one half-open probe at a time,
   * `undefined` while open (or half-open with its probe in flight).
   */
  tryAcquire(): BreakerPermit | undefined {
    const circuit = this.#circuit;
    const generation = this.#generation;
    if (circuit.closed) return { kind: 'call', generation };
    if (!circuit.halfOpen || this.#probeInFlight) return undefined;
    this.#probeInFlight = true;
    return { kind: 'probe', generation };
  }

  /**
   * A call succeeded on the model: the failure count restarts, and the probe's success closes the
   * breaker. A call admitted before the breaker last opened changes nothing (a success that was
   * in flight says nothing about the model's recovery).
   */
  success(permit: BreakerPermit): void {
    if (!this.#current(permit)) return;
    this.#failures = 0;
    const circuit = this.#circuit;
    if (permit.kind === 'probe' && circuit.halfOpen && !circuit.isShutdown) circuit.close();
  }

  /**
   * A call failed on the model (after its retries; a model failure, not a caller abort). The
   * probe's failure reopens the breaker; a call's opens it at the threshold. A call admitted before
   * the breaker last opened changes nothing: while open or half-open, the cooldown and the probe
   * decide.
   */
  failure(permit: BreakerPermit): void {
    if (!this.#current(permit)) return;
    this.#failures += 1;
    const circuit = this.#circuit;
    if (circuit.isShutdown) return;
    if (permit.kind === 'probe' && circuit.halfOpen) circuit.open();
    else if (circuit.closed && this.#failures >= this.#threshold) circuit.open();
  }

  /**
   * A peer opened this model's breaker (shared state): open it here too, unless it already is.
   * Like a local open it starts a new generation, so calls in flight here cannot close it.
   */
  openFromPeer(): void {
    if (this.state === 'open' || this.#circuit.isShutdown) return;
    this.#asPeer(() => this.#circuit.open());
  }

  /** A peer's half-open probe succeeded for the generation this breaker is in: close it here too. */
  closeFromPeer(): void {
    if (this.#circuit.closed || this.#circuit.isShutdown) return;
    this.#failures = 0;
    this.#asPeer(() => this.#circuit.close());
  }

  #asPeer(change: () => void): void {
    this.#origin = 'remote';
    try {
      change();
    } finally {
      this.#origin = 'local';
    }
  }

  /** Ends a call without a verdict (aborted, a 4xx, a queue timeout): a probe frees its slot. */
  release(permit: BreakerPermit): void {
    if (permit.kind === 'probe') this.#probeInFlight = false;
  }

  /** Frees the probe slot; true when `permit` belongs to the current generation (else counted late). */
  #current(permit: BreakerPermit): boolean {
    this.release(permit);
    if (permit.generation === this.#generation) return true;
    this.#lateVerdicts += 1;
    return false;
  }

  /**
   * Stops the circuit's reset timer and listeners (opossum `shutdown()`). Idempotent. Afterwards
   * the breaker refuses requests, ignores verdicts and reports the state it had at shutdown.
   */
  shutdown(): void {
    if (this.#circuit.isShutdown) return;
    this.#finalState = this.state;
    this.#circuit.shutdown();
  }
}
