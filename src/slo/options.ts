import { z } from 'zod';
import {
  SLO_ALERT_COOLDOWN_MS,
  SLO_ALERT_HISTORY,
  SLO_CONSECUTIVE_BREACHES,
  SLO_CONSECUTIVE_RECOVERIES,
  SLO_EVALUATE_EVERY_MS,
  SLO_MAX_PHASES,
  SLO_MIN_SAMPLES,
  SLO_P95_DISCORD_MS,
  SLO_P95_LLM_MS,
  SLO_P95_PIPELINE_MS,
  SLO_REGRESSION_MIN_SAMPLES,
  SLO_REGRESSION_THRESHOLD,
  SLO_WINDOW_MAX_SAMPLES,
  SLO_WINDOW_MS,
} from '../constants.ts';
import { InvalidOptionsError } from '../errors.ts';
import { type Clock, clockOption, wallClock } from '../internal/clock.ts';
import { loggerOption, parseOptions } from '../internal/options.ts';
import type { LoggerLike } from '../logging/event.ts';
import { PHASES } from '../timing/phases.ts';
import type { SloBreach } from './types.ts';

/** Regression detection: the rolling window's p95 against a baseline p95. */
export interface SloRegressionOptions {
  /** Turn regression detection on or off. @default true */
  enabled?: boolean;
  /** Recent p95 over baseline p95 by more than this fraction is a regression. @default 0.25 (SLO_REGRESSION_THRESHOLD) */
  threshold?: number;
  /** Samples the window (and an automatic baseline) needs before comparing. @default 50 (SLO_REGRESSION_MIN_SAMPLES) */
  minSamples?: number;
  /** A phase without a baseline takes its first full window (observed for `windowMs`, with `minSamples` samples) as baseline. @default true */
  autoBaseline?: boolean;
}

/** Options of {@link SloMonitor}. */
export interface SloMonitorOptions {
  /** p95 targets in ms per phase, merged over the defaults. @default { pipeline: 2500, llm: 1800, discord: 250 } */
  targets?: Record<string, number>;
  /** Called with every `slo_breach` alert (same payload as the `alert` event). */
  onAlert?: (alert: SloBreach) => void;
  /** Rolling window length in time. @default 300000 (SLO_WINDOW_MS) */
  windowMs?: number;
  /** Rolling window length in samples, per phase. @default 1000 (SLO_WINDOW_MAX_SAMPLES) */
  windowMaxSamples?: number;
  /** Samples a phase needs before its p95 is evaluated. @default 10 (SLO_MIN_SAMPLES) */
  minSamples?: number;
  /** Consecutive breaching evaluations before an alert. @default 3 (SLO_CONSECUTIVE_BREACHES) */
  consecutiveBreaches?: number;
  /** Consecutive within-target evaluations before an alerting phase recovers. @default 3 (SLO_CONSECUTIVE_RECOVERIES) */
  consecutiveRecoveries?: number;
  /** No repeat alert for a still-breaching phase within this long. @default 900000 (SLO_ALERT_COOLDOWN_MS) */
  alertCooldownMs?: number;
  /** Evaluation interval in ms (timer `unref`'d); 0 evaluates only when `evaluate()` is called. @default 10000 (SLO_EVALUATE_EVERY_MS) */
  evaluateEveryMs?: number;
  /** Events kept for `recentAlerts()`. @default 50 (SLO_ALERT_HISTORY) */
  alertHistory?: number;
  /** Distinct phases tracked at most. @default 64 (SLO_MAX_PHASES) */
  maxPhases?: number;
  /** Regression detection settings. @default { enabled: true, threshold: 0.25, minSamples: 50, autoBaseline: true } */
  regression?: SloRegressionOptions;
  /** Receives `slo_breach` / `performance_regression` (warn) and `slo_recovered` (info). @default none */
  logger?: LoggerLike;
  /** Clock of the windows and alert times, epoch ms (`ManualClock` in tests). @default the wall clock (`Date.now()`) */
  clock?: Clock;
}

/** The default p95 targets, ms. */
export const DEFAULT_SLO_TARGETS: Readonly<Record<string, number>> = Object.freeze({
  [PHASES.PIPELINE]: SLO_P95_PIPELINE_MS,
  [PHASES.LLM]: SLO_P95_LLM_MS,
  [PHASES.DISCORD]: SLO_P95_DISCORD_MS,
});

const DEFAULT_REGRESSION = Object.freeze({
  enabled: true,
  threshold: SLO_REGRESSION_THRESHOLD,
  minSamples: SLO_REGRESSION_MIN_SAMPLES,
  autoBaseline: true,
} as const satisfies Required<SloRegressionOptions>);

/** The numeric defaults of {@link SloMonitorOptions}. */
const DEFAULT_SLO_NUMBERS = {
  windowMs: SLO_WINDOW_MS,
  windowMaxSamples: SLO_WINDOW_MAX_SAMPLES,
  minSamples: SLO_MIN_SAMPLES,
  consecutiveBreaches: SLO_CONSECUTIVE_BREACHES,
  consecutiveRecoveries: SLO_CONSECUTIVE_RECOVERIES,
  alertCooldownMs: SLO_ALERT_COOLDOWN_MS,
  evaluateEveryMs: SLO_EVALUATE_EVERY_MS,
  alertHistory: SLO_ALERT_HISTORY,
  maxPhases: SLO_MAX_PHASES,
} as const;

/**
 * Every default of {@link SloMonitorOptions} that is a value (the wall clock is the default `clock`;
 * `targets` given are merged over these).
 */
export const DEFAULT_SLO_OPTIONS = Object.freeze({
  ...DEFAULT_SLO_NUMBERS,
  targets: DEFAULT_SLO_TARGETS,
  regression: DEFAULT_REGRESSION,
} as const);

/** Options after validation and defaults. */
export interface ResolvedSloOptions extends Record<keyof typeof DEFAULT_SLO_NUMBERS, number> {
  targets: Record<string, number>;
  regression: Required<SloRegressionOptions>;
  onAlert: ((alert: SloBreach) => void) | undefined;
  logger: LoggerLike | undefined;
  clock: Clock;
}

const isFunction = (value: unknown) => typeof value === 'function';
const fn = <T>() => z.custom<T>(isFunction, 'Expected a function');
const positiveInt = z.number().int().min(1);
const ms = z.number().finite().min(0);

const schema = z
  .strictObject({
    targets: z.record(z.string().min(1), z.number().finite().positive()).optional(),
    onAlert: fn<(alert: SloBreach) => void>().optional(),
    windowMs: z.number().finite().positive().optional(),
    windowMaxSamples: positiveInt.optional(),
    minSamples: positiveInt.optional(),
    consecutiveBreaches: positiveInt.optional(),
    consecutiveRecoveries: positiveInt.optional(),
    alertCooldownMs: ms.optional(),
    evaluateEveryMs: ms.optional(),
    alertHistory: positiveInt.optional(),
    maxPhases: positiveInt.optional(),
    regression: z
      .strictObject({
        enabled: z.boolean().optional(),
        threshold: z.number().finite().positive().optional(),
        minSamples: positiveInt.optional(),
        autoBaseline: z.boolean().optional(),
      })
      .optional(),
    logger: loggerOption,
    clock: clockOption(wallClock).optional(),
  })
  .optional();

/** Validates `input` and fills in the defaults; throws `InvalidOptionsError` naming each bad value. */
export function resolveSloOptions(input: SloMonitorOptions | undefined): ResolvedSloOptions {
  const parsed = parseOptions(schema, input, 'SloMonitor options') ?? {};
  const resolved: ResolvedSloOptions = {
    ...DEFAULT_SLO_NUMBERS,
    ...stripUndefined(parsed),
    targets: { ...DEFAULT_SLO_TARGETS, ...parsed.targets },
    regression: { ...DEFAULT_REGRESSION, ...stripUndefined(parsed.regression ?? {}) },
    onAlert: parsed.onAlert,
    logger: parsed.logger,
    clock: parsed.clock ?? wallClock,
  };
  checkSampleCounts(resolved);
  return resolved;
}

function checkSampleCounts(options: ResolvedSloOptions): void {
  const issues: string[] = [];
  const max = options.windowMaxSamples;
  if (options.minSamples > max) {
    issues.push(`\`minSamples\`: must be ≤ windowMaxSamples (${max}), got ${options.minSamples} (number)`);
  }
  if (options.regression.enabled && options.regression.minSamples > max) {
    const got = options.regression.minSamples;
    issues.push(`\`regression.minSamples\`: must be ≤ windowMaxSamples (${max}), got ${got} (number)`);
  }
  if (issues.length > 0) throw new InvalidOptionsError('SloMonitor options', issues);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
