/** Stream helpers: items, text that may be shown mid-stream, stop signals, the error notice. */
import { DEFAULT_STREAM_ERROR_NOTICE } from './options.ts';
import { endsInFence } from './split.ts';

/**
 * What `stream()` accepts: plain strings (appended), OpenRouterClient items (`{ type: 'delta',
 * delta }` appended, `{ type: 'reset' }` replaces the text so far, `{ type: 'done' }`), and any
 * other `{ type }` item (ignored).
 */
export type StreamItem = string | { readonly type: string; readonly delta?: string };

/** What a stopped wait of a stream's source settles with (caller abort or `stop()`). */
export const STOP = Symbol('stop');

/** `text` with a code fence it leaves open closed, so what follows is not shown as code. */
export function closeFence(text: string): string {
  return endsInFence(text) ? `${text}\n\`\`\`` : text;
}

/** The notice for `error`; a notice callback that throws gets the default notice instead. */
export function noticeFor(notice: string | ((error: unknown) => string), error: unknown): string {
  if (typeof notice !== 'function') return notice;
  try {
    return notice(error);
  } catch {
    return DEFAULT_STREAM_ERROR_NOTICE;
  }
}

/** The source's async iterator; a sync iterable is accepted too, as `for await` would. */
export function iteratorOf(source: AsyncIterable<StreamItem>): AsyncIterator<StreamItem> {
  if (typeof source[Symbol.asyncIterator] === 'function') return source[Symbol.asyncIterator]();
  return (async function* () {
    yield* source as unknown as Iterable<StreamItem>;
  })();
}

const HIGH_SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;
/** A surrogate without its pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with every lone surrogate replaced by U+FFFD (`String.prototype.toWellFormed`, ES2024). */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * What may be shown of a text still arriving: a trailing high surrogate is held back until its
 * pair arrives (a source may split a pair across two deltas), and anything else ill-formed is
 * replaced by U+FFFD, so every create and edit carries well-formed text.
 */
export function showableText(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  const held = last >= HIGH_SURROGATE_MIN && last <= HIGH_SURROGATE_MAX ? text.slice(0, -1) : text;
  return toWellFormed(held);
}

/** Applies one item to `text`; returns the new text and whether it was a reset. */
export function applyItem(text: string, item: StreamItem): { text: string; reset: boolean } {
  if (typeof item === 'string') return { text: text + item, reset: false };
  if (item.type === 'delta' && typeof item.delta === 'string')
    return { text: text + item.delta, reset: false };
  if (item.type === 'reset') return { text: '', reset: true };
  return { text, reset: false };
}

/** True for a failure that waiting and trying again may fix (5xx, network, timeout, 429). */
export function isRetryable(error: unknown): boolean {
  return (error as { retryable?: unknown } | undefined)?.retryable === true;
}

/** A stop (caller abort or `stop()`) ends the wait with {@link STOP}; a source error goes on. */
export function rethrowUnlessStop(error: unknown): typeof STOP {
  if (error === STOP) return STOP;
  throw error;
}
