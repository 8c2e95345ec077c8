import type { REST } from 'discord.js';
import type { Clock } from '../internal/clock.ts';
import { type AllowedMentions, createNonce, deriveNonce, toApiMentions } from './content.ts';
import { DiscordDeliveryError, toDiscordError } from './errors.ts';
import { encodeMultipart, type MessageFile } from './multipart.ts';
import type { SenderStats } from './stats.ts';

/** A created message: its id and the content Discord holds. */
export interface CreatedMessage {
  readonly id: string;
  readonly content: string;
}

/** Per-call options of a create. */
export interface CreateOptions {
  replyTo?: string | undefined;
  allowedMentions?: AllowedMentions | undefined;
  /** Key of the deterministic nonces; `replyTo` when omitted; random nonces without either. */
  idempotencyKey?: string | undefined;
}

/**
 * The nonce of created message `slot` (`0`, `1`, … for a send; `s0`, `s1`, … for a stream, so a
 * send after a stream to the same message is not taken for one of its messages).
 */
export function nonceFor(options: CreateOptions, slot: number | string): string {
  const key = options.idempotencyKey ?? options.replyTo;
  return key === undefined || key === '' ? createNonce() : deriveNonce(key, slot);
}

/**
 * The REST calls of the sender, built by hand (no runtime discord.js import): message create
 * (nonce + enforce_nonce, reply with fail_if_not_exists: false, allowed_mentions always),
 * edit (allowed_mentions always), delete, typing. Failures become typed chatlane errors.
 */
export class MessagesApi {
  readonly #rest: REST;
  readonly #stats: SenderStats;
  readonly #clock: Clock;
  readonly #mentions: AllowedMentions | undefined;
  readonly #onCreated: (channelId: string) => void;

  constructor(
    rest: REST,
    stats: SenderStats,
    clock: Clock,
    mentions: AllowedMentions | undefined,
    onCreated: (channelId: string) => void,
  ) {
    this.#rest = rest;
    this.#stats = stats;
    this.#clock = clock;
    this.#mentions = mentions;
    this.#onCreated = onCreated;
  }

  /**
   * Creates one message (nonce `nonce`, with `enforce_nonce`); returns its id and the content
   * Discord holds — an earlier create with the same nonce (applied before a failed answer) comes
   * back as it was, so a caller can tell and bring it up to date.
   */
  async create(
    channelId: string,
    content: string,
    options: CreateOptions,
    nonce: string,
    signal: AbortSignal,
    files: MessageFile[] = [],
  ): Promise<CreatedMessage> {
    const path = `/channels/${channelId}/messages` as const;
    const body: Record<string, unknown> = {
      content,
      allowed_mentions: toApiMentions(options.allowedMentions ?? this.#mentions),
      nonce,
      enforce_nonce: true,
    };
    if (options.replyTo) body.message_reference = { message_id: options.replyTo, fail_if_not_exists: false };
    const startedAt = this.#clock.now();
    try {
      const message = (await this.#rest.post(path, withFiles(body, files, signal))) as {
        id: string;
        content?: unknown;
      };
      this.#stats.sendLatency.add(this.#clock.now() - startedAt);
      this.#stats.add('messages');
      this.#onCreated(channelId);
      return { id: message.id, content: typeof message.content === 'string' ? message.content : content };
    } catch (error) {
      throw toDiscordError(error, 'POST', path, signal);
    }
  }

  /**
   * Creates the parts in order (only the first is a reply; `lastFiles` go with the last); a
   * failure lists the parts already sent.
   */
  async createAll(
    channelId: string,
    parts: string[],
    options: CreateOptions,
    signal: AbortSignal,
    lastFiles: MessageFile[] = [],
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const [index, part] of parts.entries()) {
      try {
        const created = await this.create(
          channelId,
          part,
          index === 0 ? options : { ...options, replyTo: undefined },
          nonceFor(options, index),
          signal,
          index === parts.length - 1 ? lastFiles : [],
        );
        ids.push(created.id);
      } catch (error) {
        if (error instanceof DiscordDeliveryError) error.deliveredMessageIds = [...ids];
        throw error;
      }
    }
    return ids;
  }

  /** Replaces a message's content (mentions re-sent so the edit cannot ping), adding `files`. */
  async edit(
    channelId: string,
    messageId: string,
    content: string,
    mentions: AllowedMentions | undefined,
    signal: AbortSignal,
    files: MessageFile[] = [],
  ): Promise<void> {
    const path = `/channels/${channelId}/messages/${messageId}` as const;
    const body: Record<string, unknown> = {
      content,
      allowed_mentions: toApiMentions(mentions ?? this.#mentions),
    };
    // New files are listed in `attachments` by their upload index (the message had none).
    if (files.length > 0) body.attachments = files.map((file, id) => ({ id, filename: file.name }));
    try {
      await this.#rest.patch(path, withFiles(body, files, signal));
      this.#stats.add('edits');
    } catch (error) {
      throw toDiscordError(error, 'PATCH', path, signal);
    }
  }

  /** Deletes a message. */
  async remove(channelId: string, messageId: string): Promise<void> {
    const path = `/channels/${channelId}/messages/${messageId}` as const;
    try {
      await this.#rest.delete(path);
    } catch (error) {
      throw toDiscordError(error, 'DELETE', path);
    }
  }

  /** Sends one typing indicator; never rejects (failures are counted). */
  async sendTyping(channelId: string): Promise<void> {
    try {
      await this.#rest.post(`/channels/${channelId}/typing`);
      this.#stats.typing.sent += 1;
    } catch {
      this.#stats.typing.failed += 1;
    }
  }
}

/** The request data of a create: JSON, or multipart when there are files. */
function withFiles(body: Record<string, unknown>, files: readonly MessageFile[], signal: AbortSignal) {
  if (files.length === 0) return { body, signal };
  const multipart = encodeMultipart(body, files);
  return {
    body: multipart.body,
    passThroughBody: true,
    headers: { 'Content-Type': multipart.contentType },
    signal,
  };
}
