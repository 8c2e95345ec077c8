/**
 * Every default number of chatlane, named once. Code elsewhere never repeats a literal: it imports
 * a constant from here (and every one can be overridden per instance through options).
 *
 * Sections follow the pipeline: timing and logging, OpenRouter, templates, router, session,
 * Discord, SLO. A primitive that needs a new default adds it to its own section.
 */

// ─── Timing & logging ─────────────────────────────────────────────────────────────────────────

/** Length of a correlation id: 8 lowercase hex characters (4 random bytes). */
export const CORR_ID_BYTES = 4;
/** Pretty console sink: a value longer than this is cut and shown with `…(+N)`. */
export const LOG_MAX_VALUE_CHARS = 120;
/** Pretty console sink: width of the event column, so the fields after it line up. */
export const LOG_EVENT_COLUMN_WIDTH = 22;
/** Pretty console sink: width of the logger-name column. */
export const LOG_NAME_COLUMN_WIDTH = 18;
/** JSONL sink: bytes buffered before a write to the underlying stream is forced. */
export const LOG_JSONL_BUFFER_BYTES = 64 * 1024;
/** JSONL sink: a partially filled buffer is flushed after this long (timer is `unref`'d). */
export const LOG_JSONL_FLUSH_INTERVAL_MS = 250;
/** Replacement for a redacted secret in any sink. */
export const LOG_REDACTED = '[redacted]';
/** Key names (case-insensitive, substring match) whose values are always redacted. */
export const LOG_SECRET_KEY_PATTERN = /(api[-_]?key|token|authorization|secret|password|cookie)/i;
/** Default logger name for events emitted by the library. */
export const LOG_DEFAULT_NAME = 'chatlane';
/** Default subsystem for events emitted by the library. */
export const LOG_DEFAULT_SUBSYS = 'core';

// ─── Pipeline ─────────────────────────────────────────────────────────────────────────────────

/** Concurrent tasks per pipeline step (seed PIPELINE_MAX_PARALLEL_TASKS); also sends in flight per channel. */
export const PIPELINE_MAX_PARALLEL_TASKS = 3;

// ─── OpenRouter client ────────────────────────────────────────────────────────────────────────

/** OpenRouter API base URL (the `/chat/completions` path is appended). */
export const OR_BASE_URL = 'https://openrouter.ai/api/v1';
/** TCP/TLS connect timeout (seed OR_CONNECT_TIMEOUT_MS). */
export const OR_CONNECT_TIMEOUT_MS = 5_000;
/** Read timeout: response headers, and idle time between body chunks (seed OR_READ_TIMEOUT_MS). */
export const OR_READ_TIMEOUT_MS = 8_000;
/** Total deadline for one `chat()`/`stream()` across all retries and fallbacks (seed OR_TOTAL_DEADLINE_MS). */
export const OR_TOTAL_DEADLINE_MS = 30_000;
/** Retries per model after the first attempt (seed OR_MAX_RETRIES). */
export const OR_MAX_RETRIES = 2;
/** Keep-alive connections per origin (seed OR_POOL_MAX_CONNECTIONS). */
export const OR_POOL_MAX_CONNECTIONS = 20;
/** Keep-alive idle timeout of a pooled connection. */
export const OR_KEEP_ALIVE_TIMEOUT_MS = 60_000;
/** Consecutive failures that open a model's circuit breaker. */
export const OR_BREAKER_FAILURE_THRESHOLD = 2;
/** How long an open breaker stays open before one half-open probe. */
export const OR_BREAKER_COOLDOWN_MS = 15_000;
/** First backoff step; attempt n waits a random time in [0, min(cap, base·2^n)] (full jitter). */
export const OR_RETRY_BASE_DELAY_MS = 250;
/** Upper bound of one backoff wait. */
export const OR_RETRY_MAX_DELAY_MS = 4_000;
/** A server-asked wait (`Retry-After`) longer than this is not waited: the next model is tried. */
export const OR_RETRY_AFTER_MAX_MS = 60_000;
/** HTTP statuses that are retried. */
export const OR_RETRYABLE_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];
/** Streams: no content token within this long after the request → timeout (keep-alive comments do not count). */
export const OR_STREAM_FIRST_TOKEN_TIMEOUT_MS = 15_000;
/** Streams: no content token for this long between tokens → timeout. */
export const OR_STREAM_IDLE_TIMEOUT_MS = 8_000;
/** Hedging: delay before a parallel attempt when a model has too few samples for its p95. */
export const OR_HEDGE_DEFAULT_DELAY_MS = 1_500;
/** Hedging: samples a model needs before its observed p95 is used as the hedge delay. */
export const OR_HEDGE_MIN_SAMPLES = 20;
/** Latency samples kept per model for percentiles in `getStats()`. */
export const OR_STATS_WINDOW = 1_024;
/** Title sent in `X-OpenRouter-Title` / `X-Title` when no `appName` is given. */
export const OR_DEFAULT_APP_NAME = 'chatlane';

// ─── TemplateCache ────────────────────────────────────────────────────────────────────────────

/** A compiled template lives this long (seed: 5-minute TTL). */
export const TEMPLATE_TTL_MS = 5 * 60_000;
/** Compiled templates kept at most (LRU). */
export const TEMPLATE_MAX_ENTRIES = 500;
/** Memoized deterministic-section renders kept at most (LRU). */
export const TEMPLATE_MEMO_MAX_ENTRIES = 2_000;
/** Templates at least this many characters long compile on a worker thread. */
export const TEMPLATE_WORKER_THRESHOLD_CHARS = 64 * 1024;
/** Worker threads in the compile pool at most. */
export const TEMPLATE_WORKER_POOL_SIZE = 2;
/** Compile-time samples kept for p50/p95. */
export const TEMPLATE_STATS_WINDOW = 1_024;

// ─── FastPathRouter ───────────────────────────────────────────────────────────────────────────

/** Router decision budget (seed ROUTER_DECISION_BUDGET_MS). */
export const ROUTER_DECISION_BUDGET_MS = 100;
/** Plain text up to this many characters counts as short (simple) text. */
export const ROUTER_SHORT_TEXT_CHARS = 280;
/** Text over this many characters is complex. */
export const ROUTER_LONG_TEXT_CHARS = 1_200;
/** Text is truncated to this many characters before heuristics run (huge input stays cheap). */
export const ROUTER_MAX_SCAN_CHARS = 8_000;

// ─── SessionCache ─────────────────────────────────────────────────────────────────────────────

/** Profile cache TTL in seconds (seed CONTEXT_CACHE_TTL_SECS). */
export const CONTEXT_CACHE_TTL_SECS = 120;
/** Profile cache TTL in milliseconds (2 minutes). */
export const SESSION_PROFILE_TTL_MS = CONTEXT_CACHE_TTL_SECS * 1_000;
/** Profiles kept at most (LRU eviction past this). */
export const SESSION_MAX_PROFILES = 10_000;
/** Conversations kept at most (LRU eviction past this). */
export const SESSION_MAX_CONVERSATIONS = 10_000;
/** A conversation idle this long is dropped by the background cleanup. */
export const SESSION_HISTORY_TTL_MS = 60 * 60_000;
/** Messages kept per conversation at most, before token trimming. */
export const SESSION_MAX_MESSAGES_PER_CONVERSATION = 100;
/** Background cleanup interval (timer `unref`'d). */
export const SESSION_CLEANUP_INTERVAL_MS = 60_000;
/** History token budget in DMs (seed HISTORY_MAX_TOKENS_DM). */
export const HISTORY_MAX_TOKENS_DM = 800;
/** History token budget in guild channels (seed HISTORY_MAX_TOKENS_GUILD). */
export const HISTORY_MAX_TOKENS_GUILD = 1_200;
/** Default token estimator: characters per token for ordinary text. */
export const TOKEN_ESTIMATE_CHARS_PER_TOKEN = 4;
/** Default token estimator: fixed overhead per chat message (role, separators). */
export const TOKEN_ESTIMATE_MESSAGE_OVERHEAD = 4;
/** Redis store: key prefix. */
export const REDIS_KEY_PREFIX = 'chatlane:';

// ─── DiscordSender ────────────────────────────────────────────────────────────────────────────

/** Discord's hard limit on message content length. */
export const DISCORD_MAX_MESSAGE_CHARS = 2_000;
/** A reply split into more parts than this is cut; the last part says so. */
export const DISCORD_MAX_PARTS = 10;
/** Lower bound of the jitter waited after a rate-limit reset. */
export const DISCORD_RATE_LIMIT_JITTER_MIN_MS = 100;
/** Upper bound of the jitter waited after a rate-limit reset. */
export const DISCORD_RATE_LIMIT_JITTER_MAX_MS = 300;
/** Plain text shorter than this skips enrichment (embeds/components processing). */
export const DISCORD_SIMPLE_TEXT_CHARS = 50;
/** Typing indicator starts only if the reply is not ready within this delay. */
export const DISCORD_TYPING_DELAY_MS = 800;
/** Typing indicator refresh interval (Discord expires it after ~10 s). */
export const DISCORD_TYPING_REFRESH_MS = 8_000;
/** Streaming: minimum time between two edits of the same message. */
export const DISCORD_STREAM_EDIT_INTERVAL_MS = 1_200;
/** Send queue capacity; a full queue rejects new sends (backpressure). */
export const DISCORD_QUEUE_MAX = 1_000;
/** Discord's invalid-request limit (401/403/429) per window. */
export const DISCORD_INVALID_REQUEST_LIMIT = 10_000;
/** Discord's invalid-request window. */
export const DISCORD_INVALID_REQUEST_WINDOW_MS = 10 * 60_000;
/** Fractions of the invalid-request limit at which the sender emits `invalidRequestWarning`. */
export const DISCORD_INVALID_REQUEST_WARN_RATIOS: readonly number[] = [0.5, 0.9];
/** REST calls in flight across all channels; past this, queued work waits in priority order. */
export const DISCORD_MAX_IN_FLIGHT = 10;
/** DM channel ids remembered per user id (LRU), so a DM reply costs one create-DM call per user. */
export const DISCORD_DM_CACHE_MAX = 1_000;
/** Latency and queue-wait samples kept for p95 in `getStats()`. */
export const DISCORD_STATS_WINDOW = 1_024;
/** Length of the idempotency `nonce` sent with every message create (Discord allows up to 25). */
export const DISCORD_NONCE_CHARS = 25;
/** Discord's epoch (2015-01-01T00:00:00Z), the zero of snowflake timestamps. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;
/** Smallest `maxChars` a sender accepts (room for a reopened fence and the cut notice). */
export const DISCORD_MIN_MESSAGE_CHARS = 200;
/** Splitting: a paragraph/line/word boundary is used only if it keeps at least this fraction of a part. */
export const DISCORD_SPLIT_MIN_FILL = 0.5;
/** Fake Discord: heartbeat interval announced in the gateway Hello. */
export const FAKE_DISCORD_HEARTBEAT_INTERVAL_MS = 41_250;
/** Fake Discord: requests per route bucket and window before the fake answers 429. */
export const FAKE_DISCORD_BUCKET_LIMIT = 50;
/** Fake Discord: length of one rate-limit bucket window. */
export const FAKE_DISCORD_BUCKET_WINDOW_MS = 1_000;

// ─── SloMonitor ───────────────────────────────────────────────────────────────────────────────

/** p95 target for the whole pipeline (seed SLO_P95_PIPELINE_MS). */
export const SLO_P95_PIPELINE_MS = 2_500;
/** p95 target for the LLM call (seed SLO_P95_LLM_MS). */
export const SLO_P95_LLM_MS = 1_800;
/** p95 target for the Discord send (seed SLO_P95_DISCORD_MS). */
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
/** Seed target: fewer alerts than this per hour in normal operation. */
export const SLO_MAX_ALERTS_PER_HOUR = 5;
