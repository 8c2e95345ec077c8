import { SLO_METRIC_PREFIX, SLO_QUANTILES } from '../constants.ts';
import type { PhaseSloStatus, SloStatus } from './types.ts';

/** `Content-Type` of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const MS_PER_SECOND = 1_000;

/** Extra per-phase numbers the exposition needs beyond {@link PhaseSloStatus}. */
export interface PhaseMetrics {
  status: PhaseSloStatus;
  /** Window quantiles (ms) in the order of `SLO_QUANTILES`, empty when the window is empty. */
  quantiles: readonly number[];
  /** Sum of every sample since start, ms. */
  totalSumMs: number;
}

interface Family {
  name: string;
  type: 'summary' | 'gauge' | 'counter';
  help: string;
  lines: string[];
}

/**
 * Renders the Prometheus text exposition (format 0.0.4). Durations are in seconds, as Prometheus
 * recommends: a summary per phase (window quantiles, lifetime `_sum`/`_count`), SLO target and
 * state gauges, alert/recovery/regression counters.
 */
export function renderPrometheus(status: SloStatus, phases: readonly PhaseMetrics[]): string {
  const families = [
    durationFamily(phases),
    gauge('slo_target_seconds', 'p95 target of the phase, seconds.', phases, (p) =>
      p.status.target === null ? undefined : p.status.target / MS_PER_SECOND,
    ),
    gauge('slo_window_samples', 'Samples in the rolling window.', phases, (p) => p.status.samples),
    gauge('slo_breaching', '1 when the window p95 is over the target.', phases, (p) =>
      p.status.target === null ? undefined : Number(p.status.state === 'breaching'),
    ),
    gauge('slo_alerting', '1 while an alert is unresolved.', phases, (p) =>
      p.status.target === null ? undefined : Number(p.status.alerting),
    ),
    gauge('slo_consecutive_breaches', 'Consecutive breaching evaluations.', phases, (p) =>
      p.status.target === null ? undefined : p.status.consecutiveBreaches,
    ),
    gauge('slo_baseline_p95_seconds', 'Baseline p95 for regression detection, seconds.', phases, (p) =>
      p.status.baselineP95 === null ? undefined : p.status.baselineP95 / MS_PER_SECOND,
    ),
    counter('slo_alerts_total', 'SLO breach alerts fired.', phases, (p) => p.status.alerts),
    counter('slo_recoveries_total', 'Recoveries of alerting phases.', phases, (p) => p.status.recoveries),
    counter(
      'performance_regressions_total',
      'Performance regressions detected.',
      phases,
      (p) => p.status.regressions,
    ),
    {
      name: `${SLO_METRIC_PREFIX}slo_dropped_samples_total`,
      type: 'counter',
      help: 'Samples dropped (not a finite number >= 0, or too many phases).',
      lines: [`${SLO_METRIC_PREFIX}slo_dropped_samples_total ${formatValue(status.totals.dropped)}`],
    } satisfies Family,
  ];
  return families.map(renderFamily).join('');
}

function durationFamily(phases: readonly PhaseMetrics[]): Family {
  const name = `${SLO_METRIC_PREFIX}phase_duration_seconds`;
  const lines: string[] = [];
  for (const { status, quantiles, totalSumMs } of phases) {
    const phase = labelValue(status.phase);
    SLO_QUANTILES.forEach((q, i) => {
      const value = quantiles[i];
      const seconds = value === undefined ? Number.NaN : value / MS_PER_SECOND;
      lines.push(`${name}{phase="${phase}",quantile="${q}"} ${formatValue(seconds)}`);
    });
    lines.push(`${name}_sum{phase="${phase}"} ${formatValue(totalSumMs / MS_PER_SECOND)}`);
    lines.push(`${name}_count{phase="${phase}"} ${formatValue(status.totalSamples)}`);
  }
  const help = 'Phase latency: quantiles over the rolling window, sum and count since start.';
  return { name, type: 'summary', help, lines };
}

function gauge(
  suffix: string,
  help: string,
  phases: readonly PhaseMetrics[],
  value: (phase: PhaseMetrics) => number | undefined,
): Family {
  return perPhase(suffix, 'gauge', help, phases, value);
}

function counter(
  suffix: string,
  help: string,
  phases: readonly PhaseMetrics[],
  value: (phase: PhaseMetrics) => number | undefined,
): Family {
  return perPhase(suffix, 'counter', help, phases, value);
}

function perPhase(
  suffix: string,
  type: Family['type'],
  help: string,
  phases: readonly PhaseMetrics[],
  value: (phase: PhaseMetrics) => number | undefined,
): Family {
  const name = `${SLO_METRIC_PREFIX}${suffix}`;
  const lines: string[] = [];
  for (const phase of phases) {
    const v = value(phase);
    if (v !== undefined) lines.push(`${name}{phase="${labelValue(phase.status.phase)}"} ${formatValue(v)}`);
  }
  return { name, type, help, lines };
}

function renderFamily(family: Family): string {
  const head = `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n`;
  return family.lines.length === 0 ? head : `${head}${family.lines.join('\n')}\n`;
}

/** Escapes a label value: backslash, double quote and line feed. */
export function labelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** A sample value as Prometheus writes it: `NaN`, `+Inf`, `-Inf` or a decimal. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
