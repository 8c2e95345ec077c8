import {
  DISCORD_OVERFLOW_FILE_NAME,
  DISCORD_STREAM_FINAL_RETRIES,
  DISCORD_STREAM_FINAL_RETRY_DELAY_MS,
} from '../constants.ts';
import { AbortError } from '../errors.ts';
import { raceAbort } from '../internal/abort.ts';
import type { Clock, TimerHandle } from '../internal/clock.ts';
import type { CreatedMessage } from './messages-api.ts';
import type { MessageFile } from './multipart.ts';
import type { SplitResult } from './split.ts';
import {
  applyItem,
  closeFence,
  isRetryable,
  iteratorOf,
  noticeFor,
  rethrowUnlessStop,
  STOP,
  type StreamItem,
  showableText,
  toWellFormed,
} from './stream-items.ts';
import type { StreamFailure } from './types.ts';

export type { StreamItem } from './stream-items.ts';

/** What the stream driver needs from the sender. */
export interface StreamDeps {
  clock: Clock;
  editIntervalMs: number;
  /** The notice ending a reply whose source failed, or a function of the error giving it. */
  errorNotice: string | ((error: unknown) => string);
  signal?: AbortSignal | undefined;
  /** Splits the full text into message contents, and the rest past the last one (see `splitMessage`). */
  split: (text: string) => SplitResult;
  /**
   * Creates message `index` (0 is the reply) and returns its id; `ordinal` counts the stream's
   * creates (0, 1, …, never reused, also after a reset deleted messages): the nonce slot.
   */
  create: (content: string, index: number, ordinal: number, files: MessageFile[]) => Promise<CreatedMessage>;
  /** Edits a message (adding `files`); aborted through `signal` when a newer edit supersedes it. */
  edit: (messageId: string, content: string, signal: AbortSignal, files: MessageFile[]) => Promise<void>;
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
  /** Characters past `maxParts` messages, sent as a file on the last message (0 normally). */
  attachedChars: number;
  error?: unknown;
  failure?: StreamFailure;
}

interface Sent {
  id: string;
  content: string;
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
  #attachedChars = 0;

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
      attachedChars: this.#attachedChars,
    };
    const error = this.#deliveryError ?? failure;
    if (error !== undefined) {
      outcome.error = error;
      outcome.failure = this.#failure(error);
    }
    return outcome;
  }

  /** Where the stream's failure came from, and whether a posted message shows the notice. */
  #failure(error: unknown): StreamFailure {
    if (this.#deliveryError !== undefined) return { origin: 'delivery', error, noticeShown: false };
    return { origin: 'source', error, noticeShown: this.#sent.length > 0 };
  }

  /** Ends the stream early with `error` (the sender closed): timers cleared, no further requests. */
  stop(error: unknown): void {
    if (this.#deliveryError === undefined) this.#deliveryError = error;
    this.#clearTimer();
    this.#stopConsuming();
  }

  /**
   * Reads `source` to its end; returns its error, if any. The `signal` or a delivery failure
   * stops it even while the source is waiting.
   */
  async #consume(source: AsyncIterable<StreamItem>): Promise<unknown> {
    const stop = new AbortController();
    this.#stopConsuming = () => stop.abort();
    const stopped = (): typeof STOP => STOP;
    const cancels = [
      { signal: this.#deps.signal, error: stopped },
      { signal: stop.signal, error: stopped },
    ];
    try {
      const iterator = iteratorOf(source);
      for (;;) {
        const next = iterator.next();
        next.catch(() => {}); // still awaited below, unless a stop wins the race
        const result = await raceAbort(next, cancels).catch(rethrowUnlessStop);
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
    const { parts, overflow } =
      finalText.trim() === '' ? { parts: [], overflow: '' } : this.#deps.split(finalText);
    this.#attachedChars = overflow.length;
    const files = overflow === '' ? [] : [{ name: DISCORD_OVERFLOW_FILE_NAME, data: overflow }];
    for (let retry = 0; ; retry += 1) {
      try {
        await this.#reconcile(parts, undefined, files);
        this.#flushedText = finalText;
        return;
      } catch (error) {
        if (!isRetryable(error) || retry >= DISCORD_STREAM_FINAL_RETRIES || this.#deps.signal?.aborted) {
          this.#deliveryError = error;
          return;
        }
        await this.#pause(DISCORD_STREAM_FINAL_RETRY_DELAY_MS * 2 ** retry);
      }
    }
  }

  /** Waits `ms` on the sender's clock (a timer the stream awaits: it keeps the process alive). */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => this.#deps.clock.setTimeout(resolve, ms));
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
    this.#flushing = this.#reconcile(this.#deps.split(snapshot).parts, controller)
      .then(() => {
        this.#flushedText = snapshot;
      })
      .catch((error: unknown) => {
        // Only an edit this driver aborted itself (superseded) is dropped; anything else is a failure.
        if (controller.signal.aborted && !this.#deps.signal?.aborted) this.#deps.onStaleEdit();
        else if (isRetryable(error) && !this.#deps.signal?.aborted) {
          // A transient failure (5xx, network): the next flush, or the final one, writes the text again.
        } else {
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

  /**
   * Makes the posted messages equal `parts`: edit changed ones, create missing, delete surplus;
   * `lastFiles` (the overflow file, at the end) go with the last part.
   */
  async #reconcile(
    parts: string[],
    controller: AbortController | undefined,
    lastFiles: MessageFile[] = [],
  ): Promise<void> {
    for (const [index, content] of parts.entries()) {
      const files = index === parts.length - 1 ? lastFiles : [];
      let sent = this.#sent[index];
      if (!sent) {
        // The ordinal (and so the nonce) is used up only by a create that succeeded: a retried create
        // that Discord had applied after all comes back deduplicated (with its older content,
        // brought up to date by the edit below), never shown twice.
        const created = await this.#deps.create(content, index, this.#creates, files);
        this.#creates += 1;
        sent = { id: created.id, content: created.content };
        this.#sent.push(sent);
        if (created.content === content) continue;
      }
      if (sent.content === content && files.length === 0) continue;
      const editController = controller ?? new AbortController();
      this.#pendingEdit = controller;
      try {
        await this.#deps.edit(sent.id, content, editController.signal, files);
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
