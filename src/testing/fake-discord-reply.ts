/**
 * Waiting for a *finished* bot reply on {@link FakeDiscord}: the reply to a message is the bot's
 * message referencing it plus the bot's continuation parts right after it; it is finished once
 * no request touched the channel's messages for a quiet period (a streamed reply keeps editing
 * until its final text).
 */

import { ChatlaneError } from '../errors.ts';
import { FAKE_DISCORD_REPLY_SETTLED_MS, FAKE_DISCORD_REPLY_TIMEOUT_MS } from './constants.ts';
import type { FakeDiscordRequestLog } from './fake-discord-requests.ts';
import type { FakeDiscordMessage, FakeDiscordStore } from './fake-discord-state.ts';
import type { FakeDiscordRequest } from './fake-discord-types.ts';

/** Options of `FakeDiscord.waitForReply()`. */
export interface WaitForReplyOptions {
  /**
   * The reply counts as finished after this long without a create, edit or delete in its
   * channel. @default FAKE_DISCORD_REPLY_SETTLED_MS (2400, two default stream edit intervals)
   */
  settledMs?: number;
  /** Rejects with {@link FakeDiscordWaitTimeoutError} when no finished reply came in time. @default FAKE_DISCORD_REPLY_TIMEOUT_MS (30000) */
  timeoutMs?: number;
  /** Cancels the wait (rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** A `FakeDiscord` wait ended before what it waited for happened. */
export class FakeDiscordWaitTimeoutError extends ChatlaneError {
  declare readonly code: 'FAKE_DISCORD_WAIT_TIMEOUT';
  /** The message whose reply was awaited. */
  readonly messageId: string;
  /** The reply as it stood when the wait gave up ([] when the bot never answered). */
  readonly partial: readonly FakeDiscordMessage[];

  constructor(messageId: string, timeoutMs: number, partial: readonly FakeDiscordMessage[]) {
    const seen =
      partial.length === 0
        ? 'the bot never replied'
        : `the reply was still changing (${partial.length} message(s), last text: ${JSON.stringify(partial.at(-1)?.content.slice(-80))})`;
    super(
      'FAKE_DISCORD_WAIT_TIMEOUT',
      `No finished reply to message ${messageId} within ${timeoutMs} ms: ${seen}`,
    );
    this.messageId = messageId;
    this.partial = partial;
  }
}

/** The bot's reply to `messageId` among a channel's messages: the referencing message and its continuation parts. */
export function replyIn(
  messages: FakeDiscordMessage[],
  messageId: string,
  botId: string,
): FakeDiscordMessage[] {
  const start = messages.findIndex(
    (m) => m.author.id === botId && m.message_reference?.message_id === messageId,
  );
  if (start < 0) return [];
  const reply = [messages[start]!];
  for (const next of messages.slice(start + 1)) {
    if (next.author.id !== botId || next.message_reference !== undefined) break;
    reply.push(next);
  }
  return reply;
}

/** What {@link waitForSettledReply} reads from the fake. */
export interface ReplySource {
  store: FakeDiscordStore;
  log: FakeDiscordRequestLog;
  botId: string;
}

/**
 * Resolves with the reply to `messageId` once it exists and no create, edit or delete touched
 * its channel for `settledMs`; rejects on timeout, abort, or the fake closing.
 */
export function waitForSettledReply(
  source: ReplySource,
  messageId: string,
  options: WaitForReplyOptions,
): Promise<FakeDiscordMessage[]> {
  const settledMs = options.settledMs ?? FAKE_DISCORD_REPLY_SETTLED_MS;
  const timeoutMs = options.timeoutMs ?? FAKE_DISCORD_REPLY_TIMEOUT_MS;
  const { signal } = options;
  signal?.throwIfAborted();
  const current = () => {
    const channelId = source.store.channelOf(messageId);
    return channelId === undefined ? [] : replyIn(source.store.messages(channelId), messageId, source.botId);
  };
  const touches = (request: FakeDiscordRequest) => {
    const channelId = source.store.channelOf(messageId);
    return request.method !== 'GET' && request.path.startsWith(`/channels/${channelId}/messages`);
  };
  return new Promise((resolve, reject) => {
    let quiet: NodeJS.Timeout | undefined;
    // Both timers are awaited by the caller: they keep the process alive, and every end clears them.
    const restartQuiet = () => {
      clearTimeout(quiet);
      if (current().length > 0) quiet = setTimeout(() => finish(() => resolve(current())), settledMs);
    };
    const deadline = setTimeout(
      () => finish(() => reject(new FakeDiscordWaitTimeoutError(messageId, timeoutMs, current()))),
      timeoutMs,
    );
    const onAbort = () => finish(() => reject(signal?.reason));
    const unsubscribe = source.log.onRequest((request) => {
      if (touches(request)) restartQuiet();
    });
    const unsubscribeClosed = source.log.onClosed(() =>
      finish(() => reject(new Error(`FakeDiscord closed while waiting for the reply to ${messageId}`))),
    );
    const finish = (settle: () => void) => {
      clearTimeout(quiet);
      clearTimeout(deadline);
      unsubscribe();
      unsubscribeClosed();
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    restartQuiet();
  });
}
