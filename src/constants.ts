/**
 * Every default of chatlane, named once (each can be overridden per instance through options).
 * Sections follow the pipeline; a primitive that needs a new default adds it to its own section.
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
/** Secret key names (matched lower-cased, `-`/`_` removed): `token`, `apiKey`, `botToken`, … — not `max_tokens`. */
export const LOG_SECRET_KEY_PATTERN =
  /^(?:token|.*(?:apikey|accesstoken|bottoken|authtoken|refreshtoken|sessiontoken|discordtoken|secret|password|passwd|authorization|cookie|credentials?))$/;
/** Token shapes redacted from any string value: OpenRouter/OpenAI keys, Bearer tokens, Discord bot tokens. */
export const LOG_SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  /sk-(?:or-v1-)?[A-Za-z0-9_-]{16,}/g,
  /Bearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}/g,
];
/** Default logger name for events emitted by the library. */
export const LOG_DEFAULT_NAME = 'chatlane';
/** Default subsystem for events emitted by the library. */
export const LOG_DEFAULT_SUBSYS = 'core';

// ─── Pipeline ─────────────────────────────────────────────────────────────────────────────────

/** Concurrent tasks per pipeline step (seed PIPELINE_MAX_PARALLEL_TASKS); also sends in flight per channel. */
export const PIPELINE_MAX_PARALLEL_TASKS = 3;
/** Graceful shutdown: how long in-flight work may take to finish before it is abandoned. */
export const PIPELINE_SHUTDOWN_DEADLINE_MS = 10_000;
/** Graceful shutdown: after the deadline, how long aborted work may take to wind down (apology, last logs). */
export const PIPELINE_ABORT_GRACE_MS = 2_000;

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
/** Referer sent in `HTTP-Referer` when no `appUrl` is given (OpenRouter app attribution). */
export const OR_DEFAULT_APP_URL = 'https://github.com/chatlane/chatlane';
/** HTTP statuses (and numeric in-band error codes) that end the whole call: no retry, no fallback. */
export const OR_NO_FALLBACK_STATUSES: readonly number[] = [400, 401, 402, 403];
/** String codes of an OpenRouter in-band `error` object that are retried like a 5xx. */
export const OR_RETRYABLE_ERROR_CODES: readonly string[] = [
  'server_error',
  'timeout',
  'rate_limit_exceeded',
  'overloaded',
  'provider_error',
  'service_unavailable',
  'bad_gateway',
];
/** HTTP status assumed for an in-band `error` object whose code is a string not otherwise known. */
export const OR_UNKNOWN_ERROR_STATUS = 502;
/** Error response bodies kept on `OpenRouterHttpError.body` are cut to this many characters. */
export const OR_ERROR_BODY_MAX_CHARS = 4_096;
/** Streams: response chunks buffered before the connection is paused (backpressure). */
export const OR_STREAM_HIGH_WATER_CHUNKS = 64;
/** Hedging: the cached p95 hedge delay of a model is recomputed after this many new samples. */
export const OR_HEDGE_RECOMPUTE_EVERY = 32;

// ─── OpenRouter client: wire limits and configuration errors (issue #10, or-wire) ─────────────

/**
 * Largest SSE event a stream accepts, in bytes (`maxEventBytes`). A text token chunk is well under
 * 1 KB; the headroom is for image outputs, which arrive base64-encoded in one chunk.
 */
export const OR_MAX_EVENT_BYTES = 4 * 1024 * 1024;
/** Largest `chat()` body accepted, in bytes (`maxBodyBytes`): ~4 M tokens of text, far above any real answer. */
export const OR_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** An error body is read up to this many bytes (the rest is not downloaded; the status still classifies it). */
export const OR_ERROR_BODY_READ_BYTES = 64 * 1024;
/** Statuses (HTTP or in-band) that will not heal by themselves, by the `configurationError` reason they raise. */
export const OR_CONFIGURATION_ERROR_STATUSES: Readonly<Record<number, 'auth' | 'credits' | 'model'>> = {
  401: 'auth',
  402: 'credits',
  403: 'auth',
  404: 'model',
};

// ─── TemplateCache ────────────────────────────────────────────────────────────────────────────

/** A compiled template lives this long (seed: 5-minute TTL). */
export const TEMPLATE_TTL_MS = 5 * 60_000;
/** Compiled templates kept at most (LRU). */
export const TEMPLATE_MAX_ENTRIES = 500;
/** Memoized deterministic-section renders kept at most (LRU). */
export const TEMPLATE_MEMO_MAX_ENTRIES = 2_000;
/** Templates this long compile on a worker thread: the measured break-even (docs/template-cache.md). */
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
/** Text with more lines than this is complex (structured input: lists, logs, pasted files). */
export const ROUTER_COMPLEX_LINES = 12;
/** Chit-chat (greetings, thanks, acknowledgements, emoji) is at most this many characters. */
export const ROUTER_CHITCHAT_MAX_CHARS = 40;
/** A fenced code block (```) makes a message complex. */
export const ROUTER_CODE_BLOCK_PATTERN = /```/;
/** A link makes a message at least moderate (it may need fetching or retrieval). */
export const ROUTER_URL_PATTERN = /https?:\/\//i;
/** Phrases of a question that needs retrieval (facts, docs, recent events): RAG is not skipped. */
export const ROUTER_RETRIEVAL_PATTERN =
  /\b(who|what|when|where|which|how (?:many|much|do|does|to)|why|explain|according to|docs?|documentation|source|latest|news|release|version|price|compare|define|search|look up)\b/i;
/** Whole-message chit-chat: greetings, thanks, acknowledgements (RAG and context skipped). */
export const ROUTER_CHITCHAT_PATTERN =
  /^(?:h(?:i+|ello|ey+|owdy)|yo|sup|gm|gn|good (?:morning|night|evening)|thanks?(?: you)?|thx|ty|ok(?:ay)?|k|cool|nice|great|lol+|lmao|haha+|yes|no|yep|nope|sure|bye|cya|see you)\b[\s!.?,:)(]*(?:\p{Extended_Pictographic}|\s)*$/iu;
/** Text made only of emoji, punctuation and spaces counts as chit-chat. */
export const ROUTER_EMOJI_ONLY_PATTERN =
  /^(?:[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\p{P}\s]|\u200d|\ufe0f)+$/u;
/** Default model for simple messages (fast and cheap). */
export const ROUTER_MODEL_SIMPLE = 'openai/gpt-4o-mini';
/** Default model for moderate messages. */
export const ROUTER_MODEL_MODERATE = 'openai/gpt-4o-mini';
/** Default model for complex messages (strong). */
export const ROUTER_MODEL_COMPLEX = 'anthropic/claude-sonnet-4';
/** Decision-time samples kept for p50/p95. */
export const ROUTER_STATS_WINDOW = 1_024;

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
/** Naive rule of thumb (characters per token); `estimateTokens` is measured against it and does better. */
export const TOKEN_ESTIMATE_CHARS_PER_TOKEN = 4;
/** Default token estimator: fixed overhead per chat message (role, separators). */
export const TOKEN_ESTIMATE_MESSAGE_OVERHEAD = 4;
/** Redis store: key prefix. */
export const REDIS_KEY_PREFIX = 'chatlane:';
/** Default token estimator: letters of one word counted as one token (longer words count more). */
export const TOKEN_ESTIMATE_WORD_LETTERS_PER_TOKEN = 8;
/** Default token estimator: digits per token in a run of digits (BPE splits numbers in groups of 3). */
export const TOKEN_ESTIMATE_DIGITS_PER_TOKEN = 3;
/** Default token estimator: ASCII punctuation/symbol characters per token in a run of them. */
export const TOKEN_ESTIMATE_SYMBOLS_PER_TOKEN = 3;
/** Default token estimator: tokens per run of line breaks/tabs/indentation. */
export const TOKEN_ESTIMATE_LINE_BREAK_TOKENS = 0.5;
/** Default token estimator: tokens per CJK character (Han, kana, Hangul, full-width forms). */
export const TOKEN_ESTIMATE_CJK_TOKENS_PER_CHAR = 0.65;
/** Default token estimator: tokens per astral code point (emoji, rare symbols). */
export const TOKEN_ESTIMATE_ASTRAL_TOKENS = 1.5;
/** Default token estimator: tokens per other non-ASCII character (BMP symbols such as ☀ or ❤). */
export const TOKEN_ESTIMATE_OTHER_TOKENS_PER_CHAR = 1.5;
/** Default token estimator: tokens per zero-width joiner or variation selector (emoji sequences). */
export const TOKEN_ESTIMATE_JOINER_TOKENS = 0.75;
/** Redis store: profiles are also kept in process this long (pub/sub invalidation clears them early). */
export const REDIS_LOCAL_PROFILE_TTL_MS = 30_000;
/** Redis store: pub/sub channel name (after the key prefix) carrying cross-instance invalidations. */
export const REDIS_INVALIDATION_CHANNEL = 'invalidate';

// SessionCache: store timeouts, degraded mode, message deduplication (issue #10, items 12–14).

/** Each session store call is abandoned after this long (the cache then degrades to its local copy). */
export const SESSION_STORE_TIMEOUT_MS = 300;
/** Local fallback copy (custom store only): profiles and conversations kept in process at most, each. */
export const SESSION_FALLBACK_MAX_ENTRIES = 1_000;
/** `claimMessage`: a message id stays claimed this long (gateway replays come within minutes). */
export const SESSION_DEDUP_TTL_MS = 15 * 60_000;
/** `claimMessage`: message ids remembered in process at most (quick-lru `maxSize`). */
export const SESSION_DEDUP_MAX_ENTRIES = 10_000;
/** Redis store: key segment (after the key prefix) of `claim()` keys. */
export const REDIS_CLAIM_SEGMENT = 'claim:';

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

// ─── TemplateCache: memo byte bound (issue #10, templates) ───────────────────────────────────

/**
 * Memoized section renders are bounded by size as well as count: key plus text, counted as UTF-16
 * code units × 2, at most this many bytes (LRU evicted beyond); a single larger render is not kept.
 */
export const TEMPLATE_MEMO_MAX_BYTES = 8 * 1024 * 1024;

// --- openrouter: connection wait (issue #10) ---
/**
 * Longest wait for a pooled connection before a request is sent; past it the call ends with
 * `QueueTimeoutError` (our capacity, not a model failure). Time spent waiting is not counted by
 * the stream watchdog, which starts when the request is on the wire.
 */
export const OR_QUEUE_TIMEOUT_MS = 10_000;

// ─── DiscordSender / fake Discord (issue #10 hardening) ───────────────────────────────────────

/** Fake Discord: how long a create nonce with `enforce_nonce` de-duplicates (Discord: "a few minutes"). */
export const FAKE_DISCORD_NONCE_WINDOW_MS = 5 * 60_000;
/** Splitting: longest code-fence language tag carried over to a reopened fence (longer is content). */
export const DISCORD_FENCE_LANG_MAX_CHARS = 32;
/** Name of the text file carrying the rest of a reply longer than `maxParts` messages. */
export const DISCORD_OVERFLOW_FILE_NAME = 'reply.txt';
/** Fake Discord: dispatches a gateway session keeps for a Resume to replay. */
export const FAKE_DISCORD_RESUME_BUFFER = 100;
/** Fake Discord gateway close code asking the client to resume (4000, "unknown error": resumable). */
export const FAKE_DISCORD_CLOSE_RESUMABLE = 4_000;

// ─── DiscordSender: a stream's final text survives transient Discord failures ────────────────

/**
 * `DiscordSender.stream()`: times the final reconcile (the complete text) is retried after a
 * retryable failure (5xx, network, timeout) before the stream reports a delivery error. Edits and
 * nonce-deduplicated creates are idempotent, so a retry never shows the text twice.
 */
export const DISCORD_STREAM_FINAL_RETRIES = 3;
/** First wait before retrying the final reconcile; doubles on each further retry. */
export const DISCORD_STREAM_FINAL_RETRY_DELAY_MS = 250;
