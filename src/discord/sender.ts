import type { REST } from 'discord.js';
import QuickLRU from 'quick-lru';
import { DISCORD_STATS_WINDOW } from '../constants.ts';
import { ClosedError } from '../errors.ts';
import { EventHub } from '../internal/events.ts';
import { type AllowedMentions, cleanContent, createNonce, isSimpleText, toApiMentions } from './content.ts';
import { DiscordApiError, toDiscordError } from './errors.ts';
import { type DiscordSenderOptions, type ResolvedSenderOptions, resolveSenderOptions } from './options.ts';
import { type SendPriority, SendQueue } from './queue.ts';
import { type RateLimitEvent, RateLimitGate } from './rate-limit.ts';
import { splitMessage } from './split.ts';
import { type DiscordSenderStats, SenderStats } from './stats.ts';
import { StreamDriver, type StreamItem } from './stream.ts';
import { startTyping, type TypingHandle } from './typing.ts';

/** Where to send: a channel id, `{ channelId }`, or `{ userId }` for a DM (channel created and cached). */
export type DiscordTarget = string | { channelId: string; dm?: boolean } | { userId: string };

/** Options of `send()`. */
export interface SendOptions {
  /** Id of the message to reply to (in the same channel); a deleted one does not fail the send. */
  replyTo?: string;
  /** Queue priority. @default 'high' for DMs, 'normal' otherwise */
  priority?: SendPriority;
  /** Cancels the send while queued or in flight. */
  signal?: AbortSignal;
  /** Mentions allowed to ping for this send. @default the sender's `allowedMentions` (none) */
  allowedMentions?: AllowedMentions;
}

/** Result of `send()`. */
export interface SendResult {
  /** Channel the reply went to (the DM channel for a `{ userId }` target). */
  channelId: string;
  /** Ids of the created messages, in order. */
  messageIds: string[];
  /** Characters cut because the reply needed more than `maxParts` messages (0 normally). */
  droppedChars: number;
}

/** Options of `stream()`. */
export interface StreamOptions extends SendOptions {
  /** Minimum time between two edits of a message. @default the sender's `editIntervalMs` (1200) */
  editIntervalMs?: number;
}

/** Result of `stream()`. It resolves (does not reject) when the source fails: see `error`. */
export interface StreamResult {
  channelId: string;
  /** Ids of the messages showing the reply, in order. */
  messageIds: string[];
  /** The complete text received (after resets), without the error notice. */
  text: string;
  /** Edits made. */
  edits: number;
  /** `reset` items received (model fallbacks mid-answer). */
  resets: number;
  /** Set when the source threw (the notice is then visible in Discord) or delivery failed. */
  error?: unknown;
}

/** Events of a `DiscordSender`. */
export interface DiscordSenderEvents {
  [event: string]: unknown;
  /** A 429 or an exhausted bucket was seen; the channel is held until reset + jitter. */
  rateLimited: RateLimitEvent;
  /** A send or stream delivered its messages. */
  sent: { channelId: string; messageIds: string[]; kind: 'send' | 'stream' };
  /** A send or stream failed (also when `stream()` resolves with `error`). */
  failed: { channelId: string; error: unknown; kind: 'send' | 'stream' };
}

interface Resolved {
  channelId: string;
  dm: boolean;
}

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
  readonly #events = new EventHub<DiscordSenderEvents>();
  readonly #dmChannels: QuickLRU<string, string>;
  readonly #dmChannelIds = new Set<string>();
  readonly #dmLookups = new Map<string, Promise<string>>();
  readonly #typing = new Set<TypingHandle>();
  #closed = false;

  constructor(options: DiscordSenderOptions) {
    this.#options = resolveSenderOptions(options);
    this.#rest = this.#options.rest;
    const { clock, random, jitterMinMs, jitterMaxMs } = this.#options;
    this.#gate = new RateLimitGate({
      clock,
      random,
      jitterMinMs,
      jitterMaxMs,
      onRateLimit: (event) => this.#events.emit('rateLimited', event),
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
    this.#dmChannels = new QuickLRU({
      maxSize: this.#options.dmCacheSize,
      onEviction: (_user, channelId) => this.#dmChannelIds.delete(channelId),
    });
  }

  /** Subscribes to an event; returns an unsubscribe function. */
  on<K extends keyof DiscordSenderEvents & string>(
    event: K,
    listener: (payload: DiscordSenderEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Sends `content` (split into several messages when longer than 2,000 characters) and
   * resolves with the created message ids. Throws `DiscordContentError` for empty content,
   * `DiscordApiError` (e.g. `DISCORD_CANNOT_DM`) when Discord refuses, `DiscordQueueFullError`
   * under backpressure, `AbortError`, or `ClosedError`.
   */
  async send(target: DiscordTarget, content: string, options: SendOptions = {}): Promise<SendResult> {
    this.#assertOpen();
    const cleaned = cleanContent(content);
    const simple = isSimpleText(cleaned, this.#options.simpleTextChars);
    const { parts, droppedChars } = simple ? { parts: [cleaned], droppedChars: 0 } : this.#split(cleaned);
    const { channelId, dm } = await this.#resolve(target, options.signal);
    try {
      const messageIds = await this.#queue.push({
        channelId,
        priority: options.priority ?? (dm ? 'high' : 'normal'),
        ordered: true,
        signal: options.signal,
        run: (signal) => this.#createAll(channelId, parts, options, signal),
      });
      this.#stats.add('sends');
      if (simple) this.#stats.add('simpleSends');
      if (parts.length > 1) this.#stats.add('splits');
      this.#events.emit('sent', { channelId, messageIds, kind: 'send' });
      return { channelId, messageIds, droppedChars };
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
   * It rejects only with `AbortError` (the `signal` fired) or `ClosedError` (closed before start).
   */
  async stream(
    target: DiscordTarget,
    source: AsyncIterable<StreamItem>,
    options: StreamOptions = {},
  ): Promise<StreamResult> {
    this.#assertOpen();
    const { channelId, dm } = await this.#resolve(target, options.signal);
    const priority = options.priority ?? (dm ? 'high' : 'normal');
    const driver = new StreamDriver({
      clock: this.#options.clock,
      editIntervalMs: options.editIntervalMs ?? this.#options.editIntervalMs,
      errorNotice: this.#options.streamErrorNotice,
      signal: options.signal,
      split: (text) => this.#split(text).parts,
      create: (content, index) =>
        this.#queue.push({
          channelId,
          priority,
          ordered: true,
          signal: options.signal,
          run: (signal) =>
            this.#create(
              channelId,
              content,
              index === 0 ? options : { ...options, replyTo: undefined },
              signal,
            ),
        }),
      edit: (messageId, content, editSignal) =>
        this.#queue.push({
          channelId,
          priority,
          ordered: false,
          signal: options.signal ? AbortSignal.any([options.signal, editSignal]) : editSignal,
          run: (signal) => this.#edit(channelId, messageId, content, options.allowedMentions, signal),
        }),
      remove: (messageId) => this.#delete(channelId, messageId),
      onStaleEdit: () => this.#stats.add('staleEditsDropped'),
    });
    const outcome = await driver.run(source);
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
   * `typingDelayMs`, refreshes every `typingRefreshMs`, and stops when `fn` settles (or on
   * `signal`/`close()`). A failed typing call is counted, never thrown. Returns `fn`'s result.
   */
  async withTyping<T>(
    target: DiscordTarget,
    fn: () => Promise<T>,
    options: { signal?: AbortSignal } = {},
  ): Promise<T> {
    this.#assertOpen();
    const { channelId } = await this.#resolve(target, options.signal);
    const handle = startTyping({
      clock: this.#options.clock,
      delayMs: this.#options.typingDelayMs,
      refreshMs: this.#options.typingRefreshMs,
      sendTyping: () => this.#sendTyping(channelId),
    });
    this.#typing.add(handle);
    const stop = () => {
      handle.stop();
      this.#typing.delete(handle);
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      return await fn();
    } finally {
      options.signal?.removeEventListener('abort', stop);
      stop();
    }
  }

  /** Counters, queue state and p50/p95 of queue wait and create latency. */
  getStats(): DiscordSenderStats {
    const wait = this.#stats.queueWait.summary();
    const latency = this.#stats.sendLatency.summary();
    return {
      ...this.#stats.counters,
      typing: { ...this.#stats.typing },
      ...this.#gate.stats(),
      queueDepth: this.#queue.depth,
      inFlight: this.#queue.inFlight,
      queueWaitMs: { p50: wait?.p50, p95: wait?.p95 },
      sendLatencyMs: { p50: latency?.p50, p95: latency?.p95 },
    };
  }

  /**
   * Stops typing timers, rejects queued work with `ClosedError` (work in flight finishes),
   * detaches from the REST instance's events. The REST/Client itself stays the caller's.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const handle of this.#typing) handle.stop();
    this.#typing.clear();
    this.#queue.close(new ClosedError('DiscordSender'));
    this.#gate.close();
    this.#events.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('DiscordSender');
  }

  #split(text: string): { parts: string[]; droppedChars: number } {
    return splitMessage(text, { maxChars: this.#options.maxChars, maxParts: this.#options.maxParts });
  }

  async #resolve(target: DiscordTarget, signal: AbortSignal | undefined): Promise<Resolved> {
    if (typeof target === 'string') return { channelId: target, dm: this.#dmChannelIds.has(target) };
    if ('channelId' in target)
      return { channelId: target.channelId, dm: target.dm ?? this.#dmChannelIds.has(target.channelId) };
    return { channelId: await this.#dmChannel(target.userId, signal), dm: true };
  }

  #dmChannel(userId: string, signal: AbortSignal | undefined): Promise<string> {
    const cached = this.#dmChannels.get(userId);
    if (cached !== undefined) return Promise.resolve(cached);
    let lookup = this.#dmLookups.get(userId);
    if (!lookup) {
      const path = '/users/@me/channels';
      lookup = this.#rest
        .post(path, { body: { recipient_id: userId }, signal })
        .then((channel) => {
          const id = (channel as { id: string }).id;
          this.#dmChannels.set(userId, id);
          this.#dmChannelIds.add(id);
          return id;
        })
        .catch((error: unknown) => {
          throw toDiscordError(error, 'POST', path, signal);
        })
        .finally(() => this.#dmLookups.delete(userId));
      this.#dmLookups.set(userId, lookup);
    }
    return lookup;
  }

  async #createAll(
    channelId: string,
    parts: string[],
    options: SendOptions,
    signal: AbortSignal,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const [index, part] of parts.entries()) {
      try {
        ids.push(
          await this.#create(
            channelId,
            part,
            index === 0 ? options : { ...options, replyTo: undefined },
            signal,
          ),
        );
      } catch (error) {
        if (error instanceof DiscordApiError) error.deliveredMessageIds = [...ids];
        throw error;
      }
    }
    return ids;
  }

  async #create(
    channelId: string,
    content: string,
    options: SendOptions,
    signal: AbortSignal,
  ): Promise<string> {
    const path = `/channels/${channelId}/messages` as const;
    const body: Record<string, unknown> = {
      content,
      allowed_mentions: toApiMentions(options.allowedMentions ?? this.#options.allowedMentions),
      nonce: createNonce(),
      enforce_nonce: true,
    };
    if (options.replyTo) body.message_reference = { message_id: options.replyTo, fail_if_not_exists: false };
    const startedAt = this.#options.clock.now();
    try {
      const message = (await this.#rest.post(path, { body, signal })) as { id: string };
      this.#stats.sendLatency.add(this.#options.clock.now() - startedAt);
      this.#stats.add('messages');
      return message.id;
    } catch (error) {
      throw toDiscordError(error, 'POST', path, signal);
    }
  }

  async #edit(
    channelId: string,
    messageId: string,
    content: string,
    mentions: AllowedMentions | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const path = `/channels/${channelId}/messages/${messageId}` as const;
    const body = { content, allowed_mentions: toApiMentions(mentions ?? this.#options.allowedMentions) };
    try {
      await this.#rest.patch(path, { body, signal });
      this.#stats.add('edits');
    } catch (error) {
      throw toDiscordError(error, 'PATCH', path, signal);
    }
  }

  async #delete(channelId: string, messageId: string): Promise<void> {
    const path = `/channels/${channelId}/messages/${messageId}` as const;
    try {
      await this.#rest.delete(path);
    } catch (error) {
      throw toDiscordError(error, 'DELETE', path);
    }
  }

  async #sendTyping(channelId: string): Promise<void> {
    try {
      await this.#rest.post(`/channels/${channelId}/typing`);
      this.#stats.typing.sent += 1;
    } catch {
      this.#stats.typing.failed += 1;
    }
  }
}
