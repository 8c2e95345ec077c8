import type { REST } from 'discord.js';
import { DISCORD_OVERFLOW_FILE_NAME, DISCORD_STATS_WINDOW } from '../constants.ts';
import { ClosedError, InvalidOptionsError } from '../errors.ts';
import { EventHub, type EventLogTable } from '../internal/events.ts';
import { isSimpleText, normalizeContent, normalizeText } from './content.ts';
import { DmChannels } from './dm-channels.ts';
import { MessagesApi, nonceFor } from './messages-api.ts';

/** Marks a stream's nonce slots, apart from a send's to the same message. */
const STREAM_NONCE_PREFIX = 's';

import { type DiscordSenderOptions, type ResolvedSenderOptions, resolveSenderOptions } from './options.ts';
import { SendQueue } from './queue.ts';
import { RateLimitGate } from './rate-limit.ts';
import { type SplitResult, splitMessage } from './split.ts';
import { type DiscordSenderStats, SenderStats } from './stats.ts';
import { StreamDriver, type StreamItem } from './stream.ts';
import {
  type DiscordSenderEvents,
  type DiscordTarget,
  type SendOptions,
  type SendResult,
  STREAM_TYPING_MODES,
  type StreamOptions,
  type StreamResult,
} from './types.ts';

/** The events a sender logs through its `logger` option. */
const DISCORD_LOG_TABLE: EventLogTable<DiscordSenderEvents> = {
  rateLimited: { level: 'warn', name: 'discord_rate_limited' },
  invalidRequestWarning: { level: 'warn', name: 'discord_invalid_requests' },
};

import { TypingIndicators } from './typing.ts';

/**
 * Fast, safe, streamed delivery of replies to Discord through the caller's own discord.js `REST`
 * (or `Client`): priority queue with backpressure, fence-aware splitting, mentions off by
 * default on every create and edit, idempotent creates (`nonce` + `enforce_nonce`), typed
 * Discord errors, rate-limit jitter, delayed typing, and streaming by editing.
 */
export class DiscordSender {
  readonly #options: ResolvedSenderOptions;
  readonly #rest: REST;
  readonly #queue: SendQueue;
  readonly #gate: RateLimitGate;
  readonly #stats = new SenderStats(DISCORD_STATS_WINDOW);
  readonly #events: EventHub<DiscordSenderEvents>;
  readonly #targets: DmChannels;
  readonly #api: MessagesApi;
  /** Running typing indicators; a message created in their channel stops them. */
  readonly #typing: TypingIndicators;
  /** Streams running; `close()` ends them. */
  readonly #streams = new Set<StreamDriver>();
  #closed = false;

  constructor(options: DiscordSenderOptions) {
    this.#options = resolveSenderOptions(options);
    this.#events = new EventHub({ logger: this.#options.logger, table: DISCORD_LOG_TABLE });
    this.#rest = this.#options.rest;
    const { clock, random, jitterMinMs, jitterMaxMs } = this.#options;
    this.#gate = new RateLimitGate({
      clock,
      random,
      jitterMinMs,
      jitterMaxMs,
      onRateLimit: (event) => this.#events.emit('rateLimited', event),
      onInvalidWarning: (warning) => this.#events.emit('invalidRequestWarning', warning),
    });
    this.#gate.attach(this.#rest);
    this.#queue = new SendQueue({
      maxQueue: this.#options.maxQueue,
      maxInFlight: this.#options.maxInFlight,
      maxInFlightPerChannel: this.#options.maxInFlightPerChannel,
      clock,
      holdFor: (channelId) => this.#gate.holdFor(channelId),
      onStart: (waitedMs) => this.#stats.queueWait.add(waitedMs),
    });
    this.#targets = new DmChannels(this.#rest, this.#options.dmCacheSize);
    this.#api = new MessagesApi(this.#rest, this.#stats, clock, this.#options.allowedMentions, (channelId) =>
      this.#typing.stopChannel(channelId),
    );
    this.#typing = new TypingIndicators({
      clock,
      delayMs: this.#options.typingDelayMs,
      refreshMs: this.#options.typingRefreshMs,
      sendTyping: (channelId) => this.#api.sendTyping(channelId),
    });
  }

  /** Subscribes to an event; returns an unsubscribe function. */
  on<K extends keyof DiscordSenderEvents>(
    event: K,
    listener: (payload: DiscordSenderEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Sends `content` (split into several messages when longer than 2,000 characters) and
   * resolves with the created message ids. Throws `DiscordContentError` for empty content,
   * `DiscordDeliveryError` (e.g. `DISCORD_CANNOT_DM`) when Discord refuses, `DiscordQueueFullError`
   * under backpressure, `AbortError`, or `ClosedError`.
   */
  async send(target: DiscordTarget, content: string, options: SendOptions = {}): Promise<SendResult> {
    this.#assertOpen();
    const cleaned = normalizeContent(content);
    const simple = isSimpleText(cleaned, this.#options.simpleTextChars);
    const { parts, overflow } = simple ? { parts: [cleaned], overflow: '' } : this.#split(cleaned);
    const files = overflow === '' ? [] : [{ name: DISCORD_OVERFLOW_FILE_NAME, data: overflow }];
    const { channelId, dm } = await this.#targets.resolve(target, options.signal);
    try {
      const messageIds = await this.#queue.push({
        channelId,
        priority: options.priority ?? (dm ? 'high' : 'normal'),
        ordered: true,
        signal: options.signal,
        run: (signal) => this.#api.createAll(channelId, parts, options, signal, files),
      });
      this.#stats.add('sends');
      if (simple) this.#stats.add('simpleSends');
      if (parts.length > 1) this.#stats.add('splits');
      this.#events.emit('sent', { channelId, messageIds, kind: 'send' });
      return { channelId, messageIds, attachedChars: overflow.length };
    } catch (error) {
      this.#stats.add('failures');
      this.#events.emit('failed', { channelId, error, kind: 'send' });
      throw error;
    }
  }

  /**
   * Streams text into Discord: the first text is posted at once, then the message is edited at
   * most every `editIntervalMs`, rolling over to new messages past 2,000 characters; a `reset`
   * item replaces the text so far. Resolves when the source ends. When the source throws, the
   * reply ends with a short notice and the result carries `error` (it does not reject); a
   * delivery failure (e.g. `DISCORD_CANNOT_DM`, `DISCORD_QUEUE_FULL`) also resolves with `error`.
   * `failure` says which of the two it was and whether the user saw the notice.
   * `close()` during the stream ends it with a `ClosedError` in `error`. With `typing:
   * 'until-first-text'` a typing indicator shows (after `typingDelayMs`) until the first message
   * is posted. It rejects only with `AbortError` (the `signal` fired), `ClosedError` (closed before start), or
   * a `DiscordDeliveryError` when a `{ userId }` target's DM channel cannot be opened.
   */
  async stream(
    target: DiscordTarget,
    source: AsyncIterable<StreamItem>,
    options: StreamOptions = {},
  ): Promise<StreamResult> {
    this.#assertOpen();
    checkTyping(options.typing);
    const { channelId, dm } = await this.#targets.resolve(target, options.signal);
    const priority = options.priority ?? (dm ? 'high' : 'normal');
    // The first create sends visible text: the indicator stops then (not only when Discord answers).
    const stopTyping =
      options.typing === 'until-first-text' ? this.#startTyping(channelId, options.signal) : noop;
    const driver = new StreamDriver({
      clock: this.#options.clock,
      editIntervalMs: options.editIntervalMs ?? this.#options.editIntervalMs,
      errorNotice: this.#options.streamErrorNotice,
      signal: options.signal,
      split: (text) => this.#split(normalizeText(text)),
      create: (content, index, ordinal, files) => {
        stopTyping();
        return this.#queue.push({
          channelId,
          priority,
          ordered: true,
          signal: options.signal,
          run: (signal) =>
            this.#api.create(
              channelId,
              content,
              index === 0 ? options : { ...options, replyTo: undefined },
              nonceFor(options, `${STREAM_NONCE_PREFIX}${ordinal}`),
              signal,
              files,
            ),
        });
      },
      edit: (messageId, content, editSignal, files) =>
        this.#queue.push({
          channelId,
          priority,
          ordered: false,
          signal: options.signal ? AbortSignal.any([options.signal, editSignal]) : editSignal,
          run: (signal) =>
            this.#api.edit(channelId, messageId, content, options.allowedMentions, signal, files),
        }),
      remove: (messageId) => this.#api.remove(channelId, messageId),
      onStaleEdit: () => this.#stats.add('staleEditsDropped'),
    });
    this.#streams.add(driver);
    const outcome = await driver.run(source).finally(() => {
      stopTyping();
      this.#streams.delete(driver);
    });
    this.#stats.add('streams');
    if (outcome.messageIds.length > 1) this.#stats.add('splits');
    if (outcome.error === undefined)
      this.#events.emit('sent', { channelId, messageIds: outcome.messageIds, kind: 'stream' });
    else {
      this.#stats.add('failures');
      this.#events.emit('failed', { channelId, error: outcome.error, kind: 'stream' });
    }
    return { channelId, ...outcome };
  }

  /**
   * Runs `fn` with a typing indicator that starts only if `fn` takes longer than
   * `typingDelayMs`, refreshes every `typingRefreshMs`, and stops when this sender creates a
   * message in the channel, when `fn` settles, or on `signal`/`close()`. A failed typing call (or
   * DM channel lookup for it) is counted, never thrown: `fn` then runs without an indicator.
   * Returns `fn`'s result.
   */
  async withTyping<T>(
    target: DiscordTarget,
    fn: () => Promise<T>,
    options: { signal?: AbortSignal } = {},
  ): Promise<T> {
    this.#assertOpen();
    const channelId = await this.#targets.resolve(target, options.signal).then(
      (resolved) => resolved.channelId,
      () => undefined,
    );
    if (channelId === undefined) {
      if (!options.signal?.aborted) this.#stats.typing.failed += 1;
      return fn();
    }
    const stop = this.#startTyping(channelId, options.signal);
    try {
      return await fn();
    } finally {
      stop();
    }
  }

  /** Starts a typing indicator (none once closed or aborted); returns its stop function. */
  #startTyping(channelId: string, signal: AbortSignal | undefined): () => void {
    if (this.#closed || signal?.aborted) return noop;
    return this.#typing.start(channelId, signal);
  }

  /** Counters, queue state and p50/p95/p99 of queue wait and create latency. */
  getStats(): DiscordSenderStats {
    return {
      ...this.#stats.counters,
      typing: { ...this.#stats.typing },
      ...this.#gate.stats(),
      queueDepth: this.#queue.depth,
      inFlight: this.#queue.inFlight,
      queueWaitMs: this.#stats.queueWait.summary(),
      sendLatencyMs: this.#stats.sendLatency.summary(),
    };
  }

  /**
   * Stops typing timers, ends running streams (they resolve with a `ClosedError` in `error`),
   * rejects queued work with `ClosedError` (work in flight finishes), detaches from the REST
   * instance's events. The REST/Client itself stays the caller's. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#typing.stopAll();
    for (const driver of this.#streams) driver.stop(new ClosedError('DiscordSender'));
    this.#queue.close(new ClosedError('DiscordSender'));
    this.#gate.close();
    this.#events.clear();
  }

  /** `await using sender = new DiscordSender(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('DiscordSender');
  }

  #split(text: string): SplitResult {
    return splitMessage(text, { maxChars: this.#options.maxChars, maxParts: this.#options.maxParts });
  }
}

const noop = () => {};

/** Throws `InvalidOptionsError` for a `typing` option that is not one of the modes. */
function checkTyping(typing: unknown): void {
  if (typing === undefined || (STREAM_TYPING_MODES as readonly unknown[]).includes(typing)) return;
  const allowed = STREAM_TYPING_MODES.map((mode) => `'${mode}'`).join(', ');
  throw new InvalidOptionsError('stream options', [
    `\`typing\`: Expected one of ${allowed}, got ${String(typing)}`,
  ]);
}
