/** Counters and latency windows behind `OpenRouterClient.getStats()`. */
import { OR_HEDGE_MIN_SAMPLES, OR_HEDGE_RECOMPUTE_EVERY, OR_STATS_WINDOW } from '../constants.ts';
import { AbortError } from '../errors.ts';
import { type PercentileSummary, RollingWindow } from '../internal/samples.ts';
import type { BreakerState } from './breaker.ts';
import type { ConfigurationErrorReason } from './errors.ts';

export type { PercentileSummary } from '../internal/samples.ts';

/** Per-model stats. */
export interface OpenRouterModelStats {
  /** Breaker state now. */
  breaker: BreakerState;
  /** Consecutive failures counted by the breaker. */
  consecutiveFailures: number;
  /**
   * Results the breaker ignored because their call was admitted before it last opened: a success
   * or failure in flight says nothing about the model after that (see the breaker's late-result rule).
   */
  lateBreakerVerdicts: number;
  /** Successful calls answered by this model. */
  successes: number;
  /** Failed attempts on this model (caller aborts are not failures: see `aborted`). */
  failures: number;
  /** Attempts on this model cut short by the caller's signal. */
  aborted: number;
  /** Call latency of successes, ms. */
  latency: PercentileSummary | undefined;
  /** Time to first token (streams) or to headers (chat), ms. */
  ttft: PercentileSummary | undefined;
}

/** Snapshot returned by `getStats()`. */
export interface OpenRouterStats {
  /** Calls started. */
  requests: number;
  /** Calls that returned an answer. */
  successes: number;
  /** Calls that ended with an error (caller aborts are not failures: see `aborted`). */
  failures: number;
  /** Calls ended by the caller's signal. */
  aborted: number;
  /** Failed attempts and calls by error code (`OPENROUTER_HTTP`, `OPENROUTER_TIMEOUT`, …); aborts excluded. */
  failuresByKind: Record<string, number>;
  /** HTTP attempts made. */
  attempts: number;
  /** Retries (same model). */
  retries: number;
  /** Moves to the next model. */
  fallbacks: number;
  /** Hedged attempts started. */
  hedges: number;
  /** Hedges not started because the shared hedge budget (`hedgesPerSecond`) was spent. */
  hedgesOverBudget: number;
  /** Stream restarts after a mid-stream failure. */
  resets: number;
  /** Connections opened to the origin. */
  connections: number;
  /** 1 − connections / attempts: share of attempts that reused a pooled connection. */
  connectionReuseRate: number;
  /** Per model of every ladder seen so far. */
  models: Record<string, OpenRouterModelStats>;
  /** Failed attempts that will not heal by themselves (the `configurationError` event), by reason. */
  configurationErrors: Record<ConfigurationErrorReason, number>;
}

class ModelCounters {
  successes = 0;
  failures = 0;
  aborted = 0;
  readonly latency = new RollingWindow(OR_STATS_WINDOW);
  readonly ttft = new RollingWindow(OR_STATS_WINDOW);
  readonly #p95: { latency?: number; ttft?: number } = {};
  #sinceP95 = 0;

  /**
   * Cached observed p95 (recomputed every OR_HEDGE_RECOMPUTE_EVERY samples), `undefined` before
   * OR_HEDGE_MIN_SAMPLES answers: of the whole call (the hedge delay of `chat()`, whose race ends
   * with the answer), or of the time to the first token (the hedge delay of `stream()`, whose race
   * ends when the stream opens, and the adaptive first-token deadline).
   */
  observedP95(of: 'latency' | 'ttft'): number | undefined {
    const window = this[of];
    if (window.size() < OR_HEDGE_MIN_SAMPLES) return undefined;
    if (this.#sinceP95 >= OR_HEDGE_RECOMPUTE_EVERY) {
      this.#p95.latency = undefined;
      this.#p95.ttft = undefined;
      this.#sinceP95 = 0;
    }
    this.#p95[of] ??= window.summary()?.p95;
    return this.#p95[of];
  }

  addLatency(ms: number): void {
    this.latency.add(ms);
    this.#sinceP95 += 1;
  }
}

/** Mutable counters of one client. */
export class StatsRecorder {
  requests = 0;
  successes = 0;
  failures = 0;
  aborted = 0;
  attempts = 0;
  retries = 0;
  fallbacks = 0;
  hedges = 0;
  hedgesOverBudget = 0;
  resets = 0;
  readonly failuresByKind: Record<string, number> = {};
  readonly configurationErrors: Record<ConfigurationErrorReason, number> = { auth: 0, credits: 0, model: 0 };
  readonly #models = new Map<string, ModelCounters>();

  model(name: string): ModelCounters {
    let counters = this.#models.get(name);
    if (!counters) {
      counters = new ModelCounters();
      this.#models.set(name, counters);
    }
    return counters;
  }

  failure(code: string): void {
    this.failuresByKind[code] = (this.failuresByKind[code] ?? 0) + 1;
  }

  /** Counts a call that ended with `error`: a caller's abort apart from the failures. */
  callFailed(error: unknown): void {
    if (error instanceof AbortError) {
      this.aborted += 1;
      return;
    }
    this.failures += 1;
    this.failure(`call:${(error as { code?: string }).code ?? 'UNKNOWN'}`);
  }

  success(model: string, latencyMs: number, ttftMs: number | undefined): void {
    this.successes += 1;
    const counters = this.model(model);
    counters.successes += 1;
    counters.addLatency(latencyMs);
    if (ttftMs !== undefined) counters.ttft.add(ttftMs);
  }

  snapshot(
    connections: number,
    breaker: (model: string) => { state: BreakerState; failures: number; lateVerdicts: number },
  ): OpenRouterStats {
    const models: Record<string, OpenRouterModelStats> = {};
    for (const [name, c] of this.#models) {
      const b = breaker(name);
      models[name] = {
        breaker: b.state,
        consecutiveFailures: b.failures,
        lateBreakerVerdicts: b.lateVerdicts,
        successes: c.successes,
        failures: c.failures,
        aborted: c.aborted,
        latency: c.latency.summary(),
        ttft: c.ttft.summary(),
      };
    }
    return {
      requests: this.requests,
      successes: this.successes,
      failures: this.failures,
      aborted: this.aborted,
      failuresByKind: { ...this.failuresByKind },
      attempts: this.attempts,
      retries: this.retries,
      fallbacks: this.fallbacks,
      hedges: this.hedges,
      hedgesOverBudget: this.hedgesOverBudget,
      resets: this.resets,
      connections,
      connectionReuseRate: this.attempts === 0 ? 1 : Math.max(0, 1 - connections / this.attempts),
      models,
      configurationErrors: { ...this.configurationErrors },
    };
  }
}
