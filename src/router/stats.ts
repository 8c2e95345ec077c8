import { ROUTER_STATS_WINDOW } from '../constants.ts';
import { type PercentileSummary, RollingWindow } from '../internal/samples.ts';
import type { RouteComplexity, RouteDecision } from './types.ts';

/** Counters of a {@link FastPathRouter}. */
export interface RouterStats {
  /** Decisions made. */
  routes: number;
  /** Decisions on the fast path. */
  fastPath: number;
  /** `fastPath / routes` (0 before any). */
  fastPathRate: number;
  /** Decisions for DMs. */
  dmRoutes: number;
  /** DM decisions on the fast path. */
  dmFastPath: number;
  /** `dmFastPath / dmRoutes` (target: > 0.6). */
  dmFastPathRate: number;
  /** Classifier calls. */
  classifierCalls: number;
  /** Classifier overruns of the budget (emergency decisions). */
  timeouts: number;
  /** Classifier failures: throws, rejections, invalid answers. */
  classifierErrors: number;
  /** Decisions per complexity. */
  byComplexity: Record<RouteComplexity, number>;
  /** Decision time percentiles in milliseconds, `undefined` before any. */
  decisionMs: PercentileSummary | undefined;
}

/** Mutable counters behind {@link RouterStats}. */
export class RouterStatsRecorder {
  readonly #samples = new RollingWindow(ROUTER_STATS_WINDOW);
  readonly #byComplexity: Record<RouteComplexity, number> = { simple: 0, moderate: 0, complex: 0 };
  #routes = 0;
  #fast = 0;
  #dm = 0;
  #dmFast = 0;
  classifierCalls = 0;
  timeouts = 0;
  classifierErrors = 0;

  /** Counts one decision. */
  record(decision: RouteDecision, isDM: boolean): void {
    this.#routes += 1;
    this.#byComplexity[decision.complexity] += 1;
    const fast = decision.path === 'fast' ? 1 : 0;
    this.#fast += fast;
    if (isDM) {
      this.#dm += 1;
      this.#dmFast += fast;
    }
    this.#samples.add(decision.decisionMs);
  }

  /** A copy of the counters with the rates computed. */
  snapshot(): RouterStats {
    return {
      routes: this.#routes,
      fastPath: this.#fast,
      fastPathRate: this.#routes === 0 ? 0 : this.#fast / this.#routes,
      dmRoutes: this.#dm,
      dmFastPath: this.#dmFast,
      dmFastPathRate: this.#dm === 0 ? 0 : this.#dmFast / this.#dm,
      classifierCalls: this.classifierCalls,
      timeouts: this.timeouts,
      classifierErrors: this.classifierErrors,
      byComplexity: { ...this.#byComplexity },
      decisionMs: this.#samples.summary(),
    };
  }
}
