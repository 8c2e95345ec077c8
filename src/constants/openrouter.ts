/** Defaults of OpenRouterClient (re-exported by `src/constants.ts`). */

/** OpenRouter API base URL (the `/chat/completions` path is appended). */
export const OR_BASE_URL = 'https://openrouter.ai/api/v1';
/** TCP/TLS connect timeout. */
export const OR_CONNECT_TIMEOUT_MS = 5_000;
/** Read timeout: response headers, and idle time between body chunks. */
export const OR_READ_TIMEOUT_MS = 8_000;
/** Total deadline for one `chat()`/`stream()` across all retries and fallbacks. */
export const OR_TOTAL_DEADLINE_MS = 30_000;
/** Retries per model after the first attempt. */
export const OR_MAX_RETRIES = 2;
/**
 * Most connections per origin. The pool opens them on demand and closes idle ones after the
 * keep-alive timeout; a streamed answer holds an HTTP/1.1 connection for its whole length, so this
 * is also the most answers generated at once (bench/burst.ts: 500 concurrent streams).
 */
export const OR_POOL_MAX_CONNECTIONS = 1_024;
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
/**
 * Streams, adaptive first-token deadline: this many times the model's observed p95 time to first
 * token (once it has `OR_HEDGE_MIN_SAMPLES` answers), within the floor below and the fixed deadline.
 */
export const OR_FIRST_TOKEN_ADAPTIVE_MULTIPLIER = 3;
/** Streams, adaptive first-token deadline: never shorter than this. */
export const OR_FIRST_TOKEN_ADAPTIVE_FLOOR_MS = 2_000;
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

// Wire limits and configuration errors

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

// Waiting for a pooled connection

/**
 * Longest wait for a pooled connection before a request is sent; past it the call ends with
 * `QueueTimeoutError` (our capacity, not a model failure). Time spent waiting is not counted by
 * the stream watchdog, which starts when the request is on the wire.
 */
export const OR_QUEUE_TIMEOUT_MS = 10_000;
