/** Retry timing: server-asked waits (`retry-after-ms`, `Retry-After`) and full-jitter backoff. */
import { OR_RETRY_AFTER_MAX_MS, OR_RETRY_BASE_DELAY_MS, OR_RETRY_MAX_DELAY_MS } from '../constants.ts';
import { OpenRouterHttpError } from './errors.ts';

type HeaderValue = string | string[] | undefined;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Parses `retry-after-ms`, then `Retry-After` (seconds or an HTTP date) into ms; `undefined` if absent or invalid. */
export function parseRetryAfter(
  headers: Record<string, HeaderValue>,
  now: number = Date.now(),
): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const raw = first(headers['retry-after']);
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1_000 : undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full-jitter exponential backoff: a random wait in [0, min(max, base·2^retryIndex)]. */
export function backoffMs(retryIndex: number, random: () => number): number {
  const cap = Math.min(OR_RETRY_MAX_DELAY_MS, OR_RETRY_BASE_DELAY_MS * 2 ** retryIndex);
  return Math.floor(random() * cap);
}

/**
 * The wait before retrying after `error`, or `undefined` when the retry must not happen on this
 * model (not retryable, the server asks for more than OR_RETRY_AFTER_MAX_MS, or the wait would
 * pass the call deadline).
 */
export function retryDelayMs(
  error: unknown,
  retryIndex: number,
  remainingMs: number,
  random: () => number,
): number | undefined {
  if (!(error instanceof Error) || (error as { retryable?: unknown }).retryable !== true) return undefined;
  const asked = error instanceof OpenRouterHttpError ? error.retryAfterMs : undefined;
  if (asked !== undefined && asked > OR_RETRY_AFTER_MAX_MS) return undefined;
  const delay = asked ?? backoffMs(retryIndex, random);
  return delay >= remainingMs ? undefined : delay;
}
