/** Defaults of PhaseTimer, logging and the pipeline helpers (re-exported by `src/constants.ts`). */

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

// Pipeline

/** Concurrent tasks per pipeline step; also sends in flight per channel. */
export const PIPELINE_MAX_PARALLEL_TASKS = 3;
/** Graceful shutdown: how long in-flight work may take to finish before it is abandoned. */
export const PIPELINE_SHUTDOWN_DEADLINE_MS = 10_000;
/** Graceful shutdown: after the deadline, how long aborted work may take to wind down (apology, last logs). */
export const PIPELINE_ABORT_GRACE_MS = 2_000;
