import { z } from 'zod';
import { SLO_QUANTILES } from '../constants.ts';
import { ClosedError } from '../errors.ts';
import { callListener, EventHub, type EventLogTable } from '../internal/events.ts';
import { parseOptions } from '../internal/options.ts';
import { PHASES } from '../timing/phases.ts';
import { type DashboardOptions, renderDashboard } from './dashboard.ts';
import { createMetricsHandler, type MetricsHandler, type MetricsHandlerOptions } from './http.ts';
import { type ResolvedSloOptions, resolveSloOptions, type SloMonitorOptions } from './options.ts';
import { PhaseTracker } from './phase.ts';
import { type PhaseMetrics, renderPrometheus } from './prometheus.ts';
import type {
  PhaseSloState,
  PhaseSloStatus,
  PhaseSummaryLike,
  SloEvent,
  SloMonitorEvents,
  SloStatus,
} from './types.ts';

/** The events the monitor logs through its `logger` option, named by their `kind`. */
const SLO_LOG_TABLE: EventLogTable<SloMonitorEvents> = {
  alert: { level: 'warn', name: 'slo_breach' },
  recovered: { level: 'info', name: 'slo_recovered' },
  regression: { level: 'warn', name: 'performance_regression' },
};

const baselineSchema = z.record(z.string().min(1), z.number().finite().min(0));

/**
 * Watches latency per phase against p95 targets: a rolling window per phase (time- and
 * count-bounded, fixed memory), an evaluation every `evaluateEveryMs` ms, an alert after
 * `consecutiveBreaches` breaching evaluations (then silent until recovery or cooldown),
 * regression detection against a baseline, a terminal dashboard and Prometheus metrics.
 */
export class SloMonitor {
  readonly #options: ResolvedSloOptions;
  readonly #phases = new Map<string, PhaseTracker>();
  readonly #events: EventHub<SloMonitorEvents>;
  readonly #history: SloEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #dropped = 0;
  #closed = false;

  constructor(options: SloMonitorOptions = {}) {
    this.#options = resolveSloOptions(options);
    this.#events = new EventHub({ logger: this.#options.logger, table: SLO_LOG_TABLE });
    for (const phase of Object.keys(this.#options.targets)) this.#tracker(phase);
    if (this.#options.evaluateEveryMs > 0) {
      this.#timer = setInterval(() => this.#evaluateAll(), this.#options.evaluateEveryMs);
      this.#timer.unref();
    }
  }

  /**
   * Records one latency sample (ms) for `phase`. Never throws (it sits on the hot path): an empty
   * phase name, a value that is not a finite number ≥ 0, a new phase past `maxPhases`, or a call
   * after `close()` is dropped and counted in `totals.dropped`.
   */
  record(phase: string, ms: number): void {
    const valid = !this.#closed && typeof phase === 'string' && phase.length > 0;
    const tracker = valid ? this.#tracker(phase) : undefined;
    if (tracker === undefined || !Number.isFinite(ms) || ms < 0) {
      this.#dropped += 1;
      return;
    }
    tracker.record(ms, this.#options.clock.now());
  }

  /** Records a PhaseTimer summary: `totalMs` as the `pipeline` phase and every entry of `phases`. */
  recordSummary(summary: PhaseSummaryLike): void {
    this.record(PHASES.PIPELINE, summary.totalMs);
    for (const [phase, ms] of Object.entries(summary.phases ?? {})) {
      if (phase !== PHASES.PIPELINE) this.record(phase, ms);
    }
  }

  /**
   * Evaluates every phase now (the timer calls this every `evaluateEveryMs` ms) and returns what it
   * reported. Throws `ClosedError` after `close()`.
   */
  evaluate(): SloEvent[] {
    if (this.#closed) throw new ClosedError('SloMonitor');
    return this.#evaluateAll();
  }

  /** Subscribes to `alert`, `recovered` or `regression`; returns the unsubscribe function. */
  on<K extends keyof SloMonitorEvents>(
    event: K,
    listener: (payload: SloMonitorEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /** Per phase: window samples, p50/p95/p99, target, state, alert state; plus totals. */
  getCurrentSloStatus(): SloStatus {
    return this.#snapshot().status;
  }

  /** The last reported events (breaches, recoveries, regressions), oldest first. */
  recentAlerts(limit?: number): SloEvent[] {
    return limit === undefined ? [...this.#history] : this.#history.slice(-Math.max(0, limit));
  }

  /**
   * Sets the regression baseline. With a map, those p95 values (ms) are the baseline of their
   * phases; without, every phase whose window holds `regression.minSamples` samples takes its
   * current p95. Clears active regressions of the phases set. Returns the whole baseline.
   */
  setBaseline(baseline?: Record<string, number>): Record<string, number> {
    const now = this.#options.clock.now();
    const values = baseline === undefined ? this.#currentP95s(now) : this.#parseBaseline(baseline);
    for (const [phase, p95] of Object.entries(values)) {
      const tracker = this.#tracker(phase);
      if (!tracker) continue;
      tracker.baselineP95 = p95;
      tracker.regressed = false;
    }
    return this.getBaseline();
  }

  /** The regression baseline p95 (ms) per phase that has one. */
  getBaseline(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const tracker of this.#phases.values()) {
      if (tracker.baselineP95 !== null) out[tracker.phase] = tracker.baselineP95;
    }
    return out;
  }

  /** Forgets the baseline of `phase`, or of every phase (with `autoBaseline`, the next full window becomes it). */
  clearBaseline(phase?: string): void {
    for (const tracker of this.#phases.values()) {
      if (phase !== undefined && tracker.phase !== phase) continue;
      tracker.baselineP95 = null;
      tracker.regressed = false;
    }
  }

  /** The terminal panel: p95 vs target per phase with a bar, alert history with timestamps, totals. */
  renderDashboard(options: DashboardOptions = {}): string {
    const { status } = this.#snapshot();
    const meta = { windowMs: this.#options.windowMs, minSamples: this.#options.minSamples };
    return renderDashboard(status, this.#history, meta, options);
  }

  /** The Prometheus text exposition (format 0.0.4) of every phase; metric names start with `chatlane_`. */
  toPrometheus(): string {
    const { status, metrics } = this.#snapshot();
    return renderPrometheus(status, metrics);
  }

  /** A node `http` request listener serving {@link SloMonitor.toPrometheus} on `/metrics`. */
  createMetricsHandler(options: MetricsHandlerOptions = {}): MetricsHandler {
    return createMetricsHandler(() => this.toPrometheus(), options);
  }

  /** Stops the evaluation timer and removes listeners. Idempotent; later `record()` calls are dropped. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#events.clear();
  }

  /** `await using slo = new SloMonitor(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #tracker(phase: string): PhaseTracker | undefined {
    const existing = this.#phases.get(phase);
    if (existing || this.#phases.size >= this.#options.maxPhases) return existing;
    const tracker = new PhaseTracker(phase, this.#options);
    this.#phases.set(phase, tracker);
    return tracker;
  }

  #evaluateAll(): SloEvent[] {
    const now = this.#options.clock.now();
    const events: SloEvent[] = [];
    for (const tracker of this.#phases.values()) events.push(...tracker.evaluate(now, this.#options));
    for (const event of events) this.#report(event);
    return events;
  }

  #report(event: SloEvent): void {
    this.#history.push(event);
    if (this.#history.length > this.#options.alertHistory) this.#history.shift();
    switch (event.kind) {
      case 'slo_breach':
        this.#events.emit('alert', event);
        callListener('alert', () => this.#options.onAlert?.(event), 'onAlert');
        break;
      case 'slo_recovered':
        this.#events.emit('recovered', event);
        break;
      case 'performance_regression':
        this.#events.emit('regression', event);
        break;
    }
  }

  #snapshot(): { status: SloStatus; metrics: PhaseMetrics[] } {
    const now = this.#options.clock.now();
    const metrics = this.#ordered().map((tracker) => phaseMetrics(tracker, now, this.#options.minSamples));
    const phases: Record<string, PhaseSloStatus> = {};
    const totals = { samples: 0, alerts: 0, recoveries: 0, regressions: 0, dropped: this.#dropped };
    for (const { status } of metrics) {
      phases[status.phase] = status;
      totals.samples += status.totalSamples;
      totals.alerts += status.alerts;
      totals.recoveries += status.recoveries;
      totals.regressions += status.regressions;
    }
    const ok = metrics.every(({ status }) => status.state !== 'breaching' && !status.alerting);
    return { status: { at: now, ok, phases, totals }, metrics };
  }

  /** SLO phases (with a target) first, in insertion order, then the others. */
  #ordered(): PhaseTracker[] {
    const all = [...this.#phases.values()];
    return [...all.filter((t) => t.target !== undefined), ...all.filter((t) => t.target === undefined)];
  }

  #currentP95s(now: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const tracker of this.#phases.values()) {
      const stats = tracker.stats(now);
      if (stats && stats.count >= this.#options.regression.minSamples) out[tracker.phase] = stats.p95;
    }
    return out;
  }

  #parseBaseline(baseline: Record<string, number>): Record<string, number> {
    return parseOptions(baselineSchema, baseline, 'SloMonitor baseline');
  }
}

function phaseMetrics(tracker: PhaseTracker, now: number, minSamples: number): PhaseMetrics {
  const result = tracker.window.quantiles(SLO_QUANTILES, now);
  const [p50 = null, p95 = null, p99 = null] = result?.values ?? [];
  const samples = result?.count ?? 0;
  const target = tracker.target ?? null;
  const state = stateOf(target, p95, samples, minSamples);
  const status: PhaseSloStatus = {
    phase: tracker.phase,
    samples,
    totalSamples: tracker.totalCount,
    p50,
    p95,
    p99,
    target,
    state,
    alerting: tracker.alerting,
    consecutiveBreaches: tracker.consecutiveBreaches,
    lastAlertAt: tracker.lastAlertAt,
    baselineP95: tracker.baselineP95,
    regressed: tracker.regressed,
    alerts: tracker.alerts,
    recoveries: tracker.recoveries,
    regressions: tracker.regressions,
  };
  return { status, quantiles: result?.values ?? [], totalSumMs: tracker.totalSumMs };
}

function stateOf(
  target: number | null,
  p95: number | null,
  samples: number,
  minSamples: number,
): PhaseSloState {
  if (target === null) return 'no_target';
  if (p95 === null || samples < minSamples) return 'no_data';
  return p95 > target ? 'breaching' : 'ok';
}
