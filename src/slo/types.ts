/** A phase's p95 breached its target for enough consecutive evaluations (event `alert`, log `slo_breach`). */
export interface SloBreach {
  kind: 'slo_breach';
  /** Phase name, e.g. `llm`. */
  phase: string;
  /** p95 of the rolling window at the evaluation, ms. */
  p95: number;
  /** The phase's p95 target, ms. */
  target: number;
  /** Samples in the window. */
  samples: number;
  /** Consecutive breaching evaluations so far. */
  consecutiveBreaches: number;
  /** True when this repeats an unresolved alert after the cooldown. */
  reminder: boolean;
  /** Epoch ms of the evaluation. */
  at: number;
}

/** An alerting phase stayed within target for enough consecutive evaluations (event `recovered`, log `slo_recovered`). */
export interface SloRecovery {
  kind: 'slo_recovered';
  phase: string;
  /** p95 of the rolling window at the evaluation, ms. */
  p95: number;
  target: number;
  samples: number;
  /** Time from the first breaching evaluation of the episode to the recovery, ms. */
  breachDurationMs: number;
  at: number;
}

/** The recent window's p95 rose over the baseline by more than the threshold (event `regression`, log `performance_regression`). */
export interface SloRegression {
  kind: 'performance_regression';
  phase: string;
  /** p95 of the recent (rolling) window, ms. */
  p95: number;
  /** Baseline p95, ms. */
  baselineP95: number;
  /** Relative increase over the baseline, e.g. `0.4` for +40 %. */
  increase: number;
  /** The configured threshold (fraction). */
  threshold: number;
  samples: number;
  at: number;
}

/** Anything the monitor reports; kept (bounded) for `recentAlerts()` and the dashboard. */
export type SloEvent = SloBreach | SloRecovery | SloRegression;

/** Events of {@link SloMonitor}, subscribed with `on(event, listener)`. */
export type SloMonitorEvents = {
  alert: SloBreach;
  recovered: SloRecovery;
  regression: SloRegression;
};

/** Where a phase stands now: `no_data` below the minimum sample count, `no_target` when not an SLO phase. */
export type PhaseSloState = 'ok' | 'breaching' | 'no_data' | 'no_target';

/** One phase in {@link SloStatus}. Percentiles are `null` while the window is empty. */
export interface PhaseSloStatus {
  phase: string;
  /** Samples in the rolling window. */
  samples: number;
  /** Samples recorded since the monitor started. */
  totalSamples: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** p95 target in ms, `null` when the phase has none. */
  target: number | null;
  /** Current window p95 against the target. */
  state: PhaseSloState;
  /** An alert fired and the phase has not recovered yet. */
  alerting: boolean;
  /** Consecutive breaching evaluations. */
  consecutiveBreaches: number;
  /** Epoch ms of the last alert for this phase, `null` if none. */
  lastAlertAt: number | null;
  /** Baseline p95 for regression detection, `null` if none yet. */
  baselineP95: number | null;
  /** A regression was reported and has not cleared. */
  regressed: boolean;
  alerts: number;
  recoveries: number;
  regressions: number;
}

/** The whole picture returned by `getCurrentSloStatus()`. */
export interface SloStatus {
  /** Epoch ms of the snapshot. */
  at: number;
  /** True when no phase is breaching or alerting. */
  ok: boolean;
  /** Per phase, SLO phases (those with a target) first. */
  phases: Record<string, PhaseSloStatus>;
  totals: {
    samples: number;
    alerts: number;
    recoveries: number;
    regressions: number;
    /** Samples dropped: not a finite number ≥ 0, or a new phase past `maxPhases`. */
    dropped: number;
  };
}

/** The `{ corrId, totalMs, phases }` summary a PhaseTimer produces. */
export interface PhaseSummaryLike {
  corrId?: string;
  totalMs: number;
  phases: Readonly<Record<string, number>>;
}
