import { SLO_REGRESSION_RESET_FRACTION } from '../constants.ts';
import { type PercentileSummary, RollingWindow } from '../internal/samples.ts';
import type { ResolvedSloOptions } from './options.ts';
import type { SloBreach, SloEvent, SloRecovery, SloRegression } from './types.ts';

/** Everything the monitor keeps about one phase: its window, lifetime totals and alert state. */
export class PhaseTracker {
  readonly phase: string;
  readonly window: RollingWindow;
  target: number | undefined;
  totalCount = 0;
  totalSumMs = 0;
  consecutiveBreaches = 0;
  consecutiveOk = 0;
  alerting = false;
  breachingSince: number | null = null;
  lastAlertAt: number | null = null;
  baselineP95: number | null = null;
  regressed = false;
  lastRegressionAt: number | null = null;
  firstSampleAt: number | null = null;
  alerts = 0;
  recoveries = 0;
  regressions = 0;

  constructor(phase: string, options: ResolvedSloOptions) {
    this.phase = phase;
    this.target = options.targets[phase];
    this.window = new RollingWindow(options.windowMaxSamples, options.windowMs);
  }

  record(ms: number, now: number): void {
    this.window.add(ms, now);
    this.firstSampleAt ??= now;
    this.totalCount += 1;
    this.totalSumMs += ms;
  }

  stats(now: number): PercentileSummary | undefined {
    return this.window.summary(now);
  }

  /** Runs one evaluation; returns what it reports (at most one breach/recovery and one regression). */
  evaluate(now: number, options: ResolvedSloOptions): SloEvent[] {
    const stats = this.stats(now);
    const events: SloEvent[] = [];
    const target = this.#evaluateTarget(stats, now, options);
    if (target) events.push(target);
    const regression = this.#evaluateRegression(stats, now, options);
    if (regression) events.push(regression);
    return events;
  }

  #evaluateTarget(
    stats: PercentileSummary | undefined,
    now: number,
    options: ResolvedSloOptions,
  ): SloBreach | SloRecovery | undefined {
    const target = this.target;
    if (target === undefined || !stats || stats.count < options.minSamples) return undefined;
    if (stats.p95 > target) return this.#onBreach(stats, target, now, options);
    this.consecutiveBreaches = 0;
    if (!this.alerting) {
      this.breachingSince = null;
      return undefined;
    }
    this.consecutiveOk += 1;
    if (this.consecutiveOk < options.consecutiveRecoveries) return undefined;
    const breachDurationMs = now - (this.breachingSince ?? now);
    this.alerting = false;
    this.consecutiveOk = 0;
    this.breachingSince = null;
    this.recoveries += 1;
    const { p95, count: samples } = stats;
    return { kind: 'slo_recovered', phase: this.phase, p95, target, samples, breachDurationMs, at: now };
  }

  #onBreach(
    stats: PercentileSummary,
    target: number,
    now: number,
    options: ResolvedSloOptions,
  ): SloBreach | undefined {
    this.consecutiveOk = 0;
    this.consecutiveBreaches += 1;
    this.breachingSince ??= now;
    if (this.consecutiveBreaches < options.consecutiveBreaches) return undefined;
    const cooledDown = this.lastAlertAt === null || now - this.lastAlertAt >= options.alertCooldownMs;
    if (this.alerting && !cooledDown) return undefined;
    const reminder = this.alerting;
    this.alerting = true;
    this.lastAlertAt = now;
    this.alerts += 1;
    return {
      kind: 'slo_breach',
      phase: this.phase,
      p95: stats.p95,
      target,
      samples: stats.count,
      consecutiveBreaches: this.consecutiveBreaches,
      reminder,
      at: now,
    };
  }

  #evaluateRegression(
    stats: PercentileSummary | undefined,
    now: number,
    options: ResolvedSloOptions,
  ): SloRegression | undefined {
    const { enabled, minSamples, autoBaseline, threshold } = options.regression;
    if (!enabled || !stats || stats.count < minSamples) return undefined;
    if (this.baselineP95 === null) {
      const observedFor = now - (this.firstSampleAt ?? now);
      if (autoBaseline && observedFor >= options.windowMs) this.baselineP95 = stats.p95;
      return undefined;
    }
    const increase = relativeIncrease(stats.p95, this.baselineP95);
    if (this.regressed) {
      if (increase <= threshold * SLO_REGRESSION_RESET_FRACTION) this.regressed = false;
      return undefined;
    }
    if (increase <= threshold) return undefined;
    const lastAt = this.lastRegressionAt;
    if (lastAt !== null && now - lastAt < options.alertCooldownMs) return undefined;
    this.regressed = true;
    this.lastRegressionAt = now;
    this.regressions += 1;
    return {
      kind: 'performance_regression',
      phase: this.phase,
      p95: stats.p95,
      baselineP95: this.baselineP95,
      increase,
      threshold,
      samples: stats.count,
      at: now,
    };
  }
}

function relativeIncrease(current: number, baseline: number): number {
  if (baseline > 0) return (current - baseline) / baseline;
  return current > 0 ? Number.POSITIVE_INFINITY : 0;
}
