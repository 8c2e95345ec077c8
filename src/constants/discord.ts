/** Defaults of DiscordSender and the fake Discord (re-exported by `src/constants.ts`). */

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

// Message splitting and overflow files

/** Splitting: longest code-fence language tag carried over to a reopened fence (longer is content). */
export const DISCORD_FENCE_LANG_MAX_CHARS = 32;
/** Name of the text file carrying the rest of a reply longer than `maxParts` messages. */
export const DISCORD_OVERFLOW_FILE_NAME = 'reply.txt';

// Streams: the final text survives transient Discord failures

/**
 * `DiscordSender.stream()`: times the final reconcile (the complete text) is retried after a
 * retryable failure (5xx, network, timeout) before the stream reports a delivery error. Edits and
 * nonce-deduplicated creates are idempotent, so a retry never shows the text twice.
 */
export const DISCORD_STREAM_FINAL_RETRIES = 3;
/** First wait before retrying the final reconcile; doubles on each further retry. */
export const DISCORD_STREAM_FINAL_RETRY_DELAY_MS = 250;

/**
 * DiscordGlobalLimit: sends per rolling second, all processes together — under Discord's global
 * limit of 50, so clock skew and jitter between our window and Discord's never cross it.
 */
export const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 48;
/** DiscordGlobalLimit: the rolling window. */
export const DISCORD_GLOBAL_WINDOW_MS = 1_000;
