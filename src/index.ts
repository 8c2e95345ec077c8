/**
 * chatlane — low-latency LLM chat pipelines.
 *
 * This file is the public boundary: every name exported here is part of the API; everything else
 * under `src/` is internal and may change in any release.
 *
 * @packageDocumentation
 */

// ─── Constants & errors ───────────────────────────────────────────────────────────────────────
export * as defaults from './constants.ts';
export type { ChatlaneErrorOptions } from './errors.ts';
export { AbortError, ChatlaneError, ClosedError, InvalidOptionsError, isChatlaneError } from './errors.ts';

// ─── PhaseTimer & logging ─────────────────────────────────────────────────────────────────────
export type { PhaseName } from './timing/phases.ts';
export { PHASES } from './timing/phases.ts';

// ─── OpenRouterClient ─────────────────────────────────────────────────────────────────────────

// ─── TemplateCache ────────────────────────────────────────────────────────────────────────────

// ─── FastPathRouter ───────────────────────────────────────────────────────────────────────────

// ─── SessionCache ─────────────────────────────────────────────────────────────────────────────

// ─── DiscordSender ────────────────────────────────────────────────────────────────────────────

// ─── SloMonitor ───────────────────────────────────────────────────────────────────────────────
export type { DashboardOptions } from './slo/dashboard.ts';
export type { MetricsHandler, MetricsHandlerOptions } from './slo/http.ts';
export { SloMonitor } from './slo/monitor.ts';
export type { SloLogger, SloMonitorOptions, SloRegressionOptions } from './slo/options.ts';
export { DEFAULT_SLO_OPTIONS, DEFAULT_SLO_TARGETS } from './slo/options.ts';
export { PROMETHEUS_CONTENT_TYPE } from './slo/prometheus.ts';
export type {
  PhaseSloState,
  PhaseSloStatus,
  PhaseSummaryLike,
  SloBreach,
  SloEvent,
  SloMonitorEvents,
  SloRecovery,
  SloRegression,
  SloStatus,
} from './slo/types.ts';
