import { AbortError } from '../errors.ts';
import { DEFAULT_STREAM_ERROR_NOTICE, type SenderClock, type TimerHandle } from './options.ts';
import { endsInFence } from './split.ts';

/**
 * What `stream()` accepts: plain strings (appended), OpenRouterClient items (`{ type: 'delta',
 * delta }` appended, `{ type: 'reset' }` replaces the text so far, `{ type: 'done' }`), and any
 * other `{ type }` item (ignored).
 */
export type StreamItem = string | { readonly type: string; readonly delta?: string };

/** What the stream driver needs from the sender. */
export interface StreamDeps {
  clock: SenderClock;
  editIntervalMs: number;
  /** The notice ending a reply whose source failed, or a function of the error giving it. */
  errorNotice: string | ((error: unknown) => string);
  signal?: AbortSignal | undefined;
  /** Splits the full text into message contents. */
  split: (text: string) => string[];
  /**
   * Creates message `index` (0 is the reply) and returns its id; `ordinal` counts the stream's
   * creates (0, 1, …, never reused, also after a reset deleted messages): the nonce slot.
   */
  create: (content: string, index: number, ordinal: number) => Promise<string>;
  /** Edits a message; aborted through `signal` when a newer edit supersedes it. */
  edit: (messageId: string, content: string, signal: AbortSignal) => Promise<void>;
  /** Deletes a message that a reset made surplus. */
  remove: (messageId: string) => Promise<void>;
  /** Counts an edit dropped as stale. */
  onStaleEdit: () => void;
}

/** Outcome of a stream (see `DiscordSender.stream`). */
export interface StreamOutcome {
  messageIds: string[];
  text: string;
  edits: number;
  resets: number;
  error?: unknown;
}

interface Sent {
  id: string;
  content: string;
}

const STOP = Symbol('stop');

/** A promise settled (with {@link STOP}) by `stop()` or when `signal` fires; `dispose()` drops the listener. */
function stopPromise(signal: AbortSignal | undefined): {
  promise: Promise<typeof STOP>;
  stop: () => void;
  dispose: () => void;
} {
  let stop = () => {};
  const promise = new Promise<typeof STOP>((resolve) => {
    stop = () => resolve(STOP);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
  return { promise, stop, dispose: () => signal?.removeEventListener('abort', stop) };
}

/** `text` with a code fence it leaves open closed, so what follows is not shown as code. */
function closeFence(text: string): string {
  return endsInFence(text) ? `${text}\n\`\`\`` : text;
}

/** The notice for `error`; a notice callback that throws gets the default notice instead. */
function noticeFor(notice: StreamDeps['errorNotice'], error: unknown): string {
  if (typeof notice !== 'function') return notice;
  try {
    return notice(error);
  } catch {
    return DEFAULT_STREAM_ERROR_NOTICE;
  }
}

/** The source's async iterator; a sync iterable is accepted too, as `for await` would. */
function iteratorOf(source: AsyncIterable<StreamItem>): AsyncIterator<StreamItem> {
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
function toWellFormed(text: string): string {
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
function applyItem(text: string, item: StreamItem): { text: string; reset: boolean } {
  if (typeof item === 'string') return { text: text + item, reset: false };
  if (item.type === 'delta' && typeof item.delta === 'string')
    return { text: text + item.delta, reset: false };
  if (item.type === 'reset') return { text: '', reset: true };
  return { text, reset: false };
}

/**
 * Drives one streamed reply: the first text is posted at once, later text is coalesced into
 * edits at most every `editIntervalMs` (identical text is never re-sent), long text rolls over
 * to new messages, and a final reconcile writes the complete text (with a notice on error).
 */
export class StreamDriver {
  readonly #deps: StreamDeps;
  readonly #sent: Sent[] = [];
  #text = '';
  #flushedText = '';
  #lastFlushAt = Number.NEGATIVE_INFINITY;
  #flushing: Promise<void> | undefined;
  #timer: TimerHandle | undefined;
  #pendingEdit: AbortController | undefined;
  #finished = false;
  #deliveryError: unknown;
  /** Ends `#consume` while it waits for the source (set once it runs). */
  #stopConsuming: () => void = () => {};
  #edits = 0;
  #resets = 0;
  #creates = 0;

  constructor(deps: StreamDeps) {
    this.#deps = deps;
  }

  /** Consumes `source` to its end (or error/abort) and delivers the result. */
  async run(source: AsyncIterable<StreamItem>): Promise<StreamOutcome> {
    const sourceError = await this.#consume(source);
    this.#finished = true;
    this.#clearTimer();
    await this.#flushing;
    if (this.#deps.signal?.aborted) throw new AbortError('Discord stream aborted');
    const failure = this.#deliveryError ?? sourceError;
    if (this.#deliveryError === undefined) await this.#finalFlush(sourceError);
    const outcome: StreamOutcome = {
      messageIds: this.#sent.map((sent) => sent.id),
      text: this.#text,
      edits: this.#edits,
      resets: this.#resets,
    };
    const error = this.#deliveryError ?? failure;
    if (error !== undefined) outcome.error = error;
    return outcome;
  }

  /**
   * Reads `source` to its end; returns its error, if any. The `signal` or a delivery failure
   * stops it even while the source is waiting.
   */
  /** Ends the stream early with `error` (the sender closed): timers cleared, no further requests. */
  stop(error: unknown): void {
    if (this.#deliveryError === undefined) this.#deliveryError = error;
    this.#clearTimer();
    this.#stopConsuming();
  }

  async #consume(source: AsyncIterable<StreamItem>): Promise<unknown> {
    const stopped = stopPromise(this.#deps.signal);
    this.#stopConsuming = stopped.stop;
    try {
      const iterator = iteratorOf(source);
      for (;;) {
        const next = iterator.next();
        next.catch(() => {}); // still awaited below, unless a stop wins the race
        const result = await Promise.race([next, stopped.promise]);
        if (result === STOP || this.#deps.signal?.aborted || this.#deliveryError !== undefined) {
          // Not awaited: a source stuck in its own await would hold the abort up.
          iterator.return?.().catch(() => {});
          return undefined;
        }
        if (result.done) return undefined;
        const applied = applyItem(this.#text, result.value);
        if (applied.reset) this.#resets += 1;
        this.#text = applied.text;
        this.#schedule();
      }
    } catch (error) {
      return error;
    } finally {
      stopped.dispose();
    }
  }

  async #finalFlush(sourceError: unknown): Promise<void> {
    const notice = this.#deps.errorNotice;
    // The source ended: a high surrogate still unpaired will never be completed (U+FFFD then).
    const text = toWellFormed(this.#text);
    const finalText =
      sourceError !== undefined
        ? `${closeFence(text.trimEnd())}\n\n${noticeFor(notice, sourceError)}`.trimStart()
        : text;
    if (finalText === this.#flushedText || (finalText.trim() === '' && this.#sent.length === 0)) return;
    try {
      await this.#reconcile(finalText.trim() === '' ? [] : this.#deps.split(finalText), undefined);
      this.#flushedText = finalText;
    } catch (error) {
      this.#deliveryError = error;
    }
  }

  #schedule(): void {
    if (this.#finished || this.#deliveryError !== undefined) return;
    const showable = showableText(this.#text);
    if (showable === this.#flushedText || showable.trim() === '') return;
    if (this.#timer !== undefined) return;
    const wait =
      this.#sent.length === 0 ? 0 : this.#lastFlushAt + this.#deps.editIntervalMs - this.#deps.clock.now();
    if (this.#flushing) {
      // Only an edit can go stale; while the first message is being created there is nothing to drop.
      if (this.#sent.length > 0)
        this.#timer = this.#deps.clock.setTimeout(() => this.#supersede(), Math.max(0, wait));
      return;
    }
    if (wait <= 0) this.#flush();
    else this.#timer = this.#deps.clock.setTimeout(() => this.#onTimer(), wait);
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#schedule();
  }

  /** A full interval passed and the previous flush is still waiting: its edit is stale, drop it. */
  #supersede(): void {
    this.#timer = undefined;
    if (this.#flushing && this.#pendingEdit) this.#pendingEdit.abort();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flush(): void {
    const snapshot = showableText(this.#text);
    this.#lastFlushAt = this.#deps.clock.now();
    const controller = new AbortController();
    this.#flushing = this.#reconcile(this.#deps.split(snapshot), controller)
      .then(() => {
        this.#flushedText = snapshot;
      })
      .catch((error: unknown) => {
        // Only an edit this driver aborted itself (superseded) is dropped; anything else is a failure.
        if (controller.signal.aborted && !this.#deps.signal?.aborted) this.#deps.onStaleEdit();
        else {
          this.#deliveryError = error;
          this.#stopConsuming();
        }
      })
      .finally(() => {
        this.#flushing = undefined;
        this.#clearTimer();
        this.#schedule();
      });
  }

  /** Makes the posted messages equal `parts`: edit changed ones, create missing, delete surplus. */
  async #reconcile(parts: string[], controller: AbortController | undefined): Promise<void> {
    for (const [index, content] of parts.entries()) {
      const sent = this.#sent[index];
      if (!sent) {
        const ordinal = this.#creates;
        this.#creates += 1;
        this.#sent.push({ id: await this.#deps.create(content, index, ordinal), content });
        continue;
      }
      if (sent.content === content) continue;
      const editController = controller ?? new AbortController();
      this.#pendingEdit = controller;
      try {
        await this.#deps.edit(sent.id, content, editController.signal);
      } finally {
        this.#pendingEdit = undefined;
      }
      sent.content = content;
      this.#edits += 1;
    }
    while (this.#sent.length > parts.length) {
      const surplus = this.#sent.pop() as Sent;
      await this.#deps.remove(surplus.id);
    }
  }
}
