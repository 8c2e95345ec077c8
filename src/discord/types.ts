import type { AllowedMentions } from './content.ts';
import type { SendPriority } from './queue.ts';
import type { InvalidRequestWarning, RateLimitEvent } from './rate-limit.ts';

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
  /**
   * Key of the deterministic create nonces (used instead of `replyTo`): the same reply sent twice
   * with the same key (a replayed gateway event, a second process) creates each message once.
   * Give distinct keys to two different replies to the same message. Without it and without
   * `replyTo`, nonces are random. @default replyTo
   */
  idempotencyKey?: string;
}

/** Result of `send()`. */
export interface SendResult {
  /** Channel the reply went to (the DM channel for a `{ userId }` target). */
  channelId: string;
  /** Ids of the created messages, in order. */
  messageIds: string[];
  /**
   * Characters of the reply that did not fit in `maxParts` messages and went, whole, as a text
   * file (`reply.txt`) attached to the last message (0 normally). Nothing is dropped.
   */
  attachedChars: number;
}

/** Typing indicator modes of `stream()`. */
export const STREAM_TYPING_MODES = ['none', 'until-first-text'] as const;

/**
 * The typing indicator of a `stream()`: `'until-first-text'` shows it (after the sender's
 * `typingDelayMs`, refreshed every `typingRefreshMs`) until the first message of the reply is
 * posted, or the stream ends; `'none'` shows none.
 */
export type StreamTyping = (typeof STREAM_TYPING_MODES)[number];

/** Options of `stream()`. */
export interface StreamOptions extends SendOptions {
  /** Minimum time between two edits of a message. @default the sender's `editIntervalMs` (1200) */
  editIntervalMs?: number;
  /** Typing indicator while the reply has no visible text yet. @default 'none' */
  typing?: StreamTyping;
}

/** Why a `stream()` did not deliver its source's whole text (see {@link StreamResult.failure}). */
export interface StreamFailure {
  /**
   * `'source'`: the source threw (e.g. every model failed); `'delivery'`: Discord refused or the
   * sender closed, so the user may be left with a partial reply and no explanation.
   */
  origin: 'source' | 'delivery';
  /** The source's error, or the delivery error. */
  error: unknown;
  /**
   * True when a posted message ends with the error notice (`streamErrorNotice`): the user was
   * told. Always false for a delivery failure; a caller sends its own apology when false.
   */
  noticeShown: boolean;
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
  /**
   * Characters past `maxParts` messages, sent whole as a text file (`reply.txt`) on the last
   * message at the end of the stream (0 normally).
   */
  attachedChars: number;
  /** Set when the source threw or delivery failed: the same value as `failure.error`. */
  error?: unknown;
  /** Set when the source threw or delivery failed: where the failure came from, and whether the user saw the notice. */
  failure?: StreamFailure;
}

/** Events of a `DiscordSender`. */
export interface DiscordSenderEvents {
  /** A 429 or an exhausted bucket was seen; the channel is held until reset + jitter. */
  rateLimited: RateLimitEvent;
  /** Invalid requests (401/403/429) reached 50% or 90% of Discord's 10,000 per 10 minutes. */
  invalidRequestWarning: InvalidRequestWarning;
  /** A send or stream delivered its messages. */
  sent: { channelId: string; messageIds: string[]; kind: 'send' | 'stream' };
  /** A send or stream failed (also when `stream()` resolves with `error`). */
  failed: { channelId: string; error: unknown; kind: 'send' | 'stream' };
}
