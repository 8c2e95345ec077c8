/** Defaults of SloMonitor (re-exported by `src/constants.ts`). */

/** p95 target for the whole pipeline. */
export const SLO_P95_PIPELINE_MS = 2_500;
/** p95 target for the LLM call. */
export const SLO_P95_LLM_MS = 1_800;
/** p95 target for the Discord send. */
export const SLO_P95_DISCORD_MS = 250;
/** Consecutive p95 breaches before an alert. */
export const SLO_CONSECUTIVE_BREACHES = 3;
/** After an alert, no repeat alert for the same phase within this long unless it recovered. */
export const SLO_ALERT_COOLDOWN_MS = 15 * 60_000;
/** Rolling window length in time. */
export const SLO_WINDOW_MS = 5 * 60_000;
/** Rolling window length in samples. */
export const SLO_WINDOW_MAX_SAMPLES = 1_000;
/** Samples a phase needs before its p95 is evaluated against the target. */
export const SLO_MIN_SAMPLES = 10;
/** Regression: recent p95 over baseline p95 by more than this fraction is a regression. */
export const SLO_REGRESSION_THRESHOLD = 0.25;
/** Regression: samples both windows need before comparing. */
export const SLO_REGRESSION_MIN_SAMPLES = 50;
/** Alerts kept for `recentAlerts()` and the dashboard. */
export const SLO_ALERT_HISTORY = 50;
/** How often the monitor evaluates every phase's p95 against its target (timer `unref`'d; 0 = only on `evaluate()`). */
export const SLO_EVALUATE_EVERY_MS = 10_000;
/** Consecutive within-target evaluations before an alerting phase counts as recovered (anti-flapping). */
export const SLO_CONSECUTIVE_RECOVERIES = 3;
/** Regression: an active regression clears once the increase falls to this fraction of the threshold. */
export const SLO_REGRESSION_RESET_FRACTION = 0.5;
/** Distinct phases tracked at most; samples for further new phase names are dropped (memory bound). */
export const SLO_MAX_PHASES = 64;
/** Quantiles reported per phase (status, dashboard, Prometheus summary). */
export const SLO_QUANTILES: readonly number[] = [0.5, 0.95, 0.99];
/** Dashboard: total width in columns, borders included. */
export const SLO_DASHBOARD_WIDTH = 80;
/** Dashboard: width of the p95-vs-target bar in columns. */
export const SLO_DASHBOARD_BAR_WIDTH = 16;
/** Dashboard: alert-history rows shown at most (newest last). */
export const SLO_DASHBOARD_ALERT_ROWS = 5;
/** Metrics HTTP handler: the path it answers on. */
export const SLO_METRICS_PATH = '/metrics';
/** Prefix of every Prometheus metric name. */
export const SLO_METRIC_PREFIX = 'chatlane_';
