import { AbortError, ChatlaneError, type ChatlaneErrorOptions } from '../errors.ts';

/** Discord JSON error codes the sender maps to a stable chatlane `code`. */
export const DISCORD_ERROR_CODES = {
  /** Unknown channel (deleted, or the bot cannot see it). */
  UNKNOWN_CHANNEL: 10003,
  /** The channel is in slowmode. */
  SLOWMODE: 20016,
  /** The channel's write rate limit was hit. */
  WRITE_LIMIT: 20028,
  /** Missing access to the channel. */
  MISSING_ACCESS: 50001,
  /** Cannot send an empty message. */
  EMPTY_MESSAGE: 50006,
  /** Cannot send messages to this user (DMs closed, no shared server, blocked). */
  CANNOT_DM: 50007,
  /** Missing permissions. */
  MISSING_PERMISSIONS: 50013,
  /** Invalid form body (e.g. content over 2,000 characters). */
  INVALID_FORM_BODY: 50035,
} as const;

/** Codes of a {@link DiscordDeliveryError}: one per mapped Discord code, `DISCORD_HTTP` for the rest. */
export type DiscordDeliveryErrorCode =
  | 'DISCORD_UNKNOWN_CHANNEL'
  | 'DISCORD_SLOWMODE'
  | 'DISCORD_WRITE_LIMIT'
  | 'DISCORD_MISSING_ACCESS'
  | 'DISCORD_EMPTY_MESSAGE'
  | 'DISCORD_CANNOT_DM'
  | 'DISCORD_MISSING_PERMISSIONS'
  | 'DISCORD_INVALID_FORM_BODY'
  | 'DISCORD_HTTP';

const CODE_NAMES: ReadonlyMap<number, DiscordDeliveryErrorCode> = new Map<number, DiscordDeliveryErrorCode>([
  [DISCORD_ERROR_CODES.UNKNOWN_CHANNEL, 'DISCORD_UNKNOWN_CHANNEL'],
  [DISCORD_ERROR_CODES.SLOWMODE, 'DISCORD_SLOWMODE'],
  [DISCORD_ERROR_CODES.WRITE_LIMIT, 'DISCORD_WRITE_LIMIT'],
  [DISCORD_ERROR_CODES.MISSING_ACCESS, 'DISCORD_MISSING_ACCESS'],
  [DISCORD_ERROR_CODES.EMPTY_MESSAGE, 'DISCORD_EMPTY_MESSAGE'],
  [DISCORD_ERROR_CODES.CANNOT_DM, 'DISCORD_CANNOT_DM'],
  [DISCORD_ERROR_CODES.MISSING_PERMISSIONS, 'DISCORD_MISSING_PERMISSIONS'],
  [DISCORD_ERROR_CODES.INVALID_FORM_BODY, 'DISCORD_INVALID_FORM_BODY'],
]);

/** Discord codes where waiting and trying again later may succeed. */
const RETRYABLE_DISCORD_CODES: ReadonlySet<number> = new Set([
  DISCORD_ERROR_CODES.SLOWMODE,
  DISCORD_ERROR_CODES.WRITE_LIMIT,
]);

const HTTP_SERVER_ERROR_MIN = 500;
const HTTP_TOO_MANY_REQUESTS = 429;

/** Context of a failed Discord REST call. */
export interface DiscordDeliveryErrorInit {
  /** HTTP status (0 when the request never got a response). */
  status: number;
  /** Discord's JSON error code (e.g. 50007), or `undefined` for plain HTTP/network failures. */
  discordCode: number | undefined;
  /** HTTP method of the failed call. */
  method: string;
  /** Route of the failed call, e.g. `/channels/123/messages`. */
  path: string;
}

/**
 * A Discord REST call failed. `code` is stable (`DISCORD_CANNOT_DM`, `DISCORD_EMPTY_MESSAGE`,
 * `DISCORD_INVALID_FORM_BODY`, `DISCORD_SLOWMODE`, `DISCORD_WRITE_LIMIT`, …, `DISCORD_HTTP` for
 * others); `discordCode` is Discord's own number. discord.js has already retried 5xx and network
 * resets before this is thrown, so the sender never retries again (no retry storm). (Named so it
 * does not collide with discord.js's own `DiscordAPIError`, which may be its `cause`.)
 */
export class DiscordDeliveryError extends ChatlaneError {
  declare readonly code: DiscordDeliveryErrorCode;
  /** HTTP status (0 when there was no response). */
  readonly status: number;
  /** Discord's JSON error code, e.g. 50007. */
  readonly discordCode: number | undefined;
  /** HTTP method of the failed call. */
  readonly method: string;
  /** Route of the failed call. */
  readonly path: string;
  /** For a multi-part send: ids of the parts created before this failure (never silently lost). */
  deliveredMessageIds: readonly string[] = [];

  constructor(message: string, init: DiscordDeliveryErrorInit, options: ChatlaneErrorOptions = {}) {
    const named = init.discordCode === undefined ? undefined : CODE_NAMES.get(init.discordCode);
    super(named ?? 'DISCORD_HTTP', message, options);
    this.status = init.status;
    this.discordCode = init.discordCode;
    this.method = init.method;
    this.path = init.path;
  }
}

/** Content was rejected before any request: empty after cleaning, or not a string. */
export class DiscordContentError extends ChatlaneError {
  declare readonly code: 'DISCORD_EMPTY_MESSAGE';
  constructor(message: string) {
    super('DISCORD_EMPTY_MESSAGE', message);
  }
}

/** The send queue is full (backpressure): the new work was rejected, nothing queued was dropped. */
export class DiscordQueueFullError extends ChatlaneError {
  declare readonly code: 'DISCORD_QUEUE_FULL';
  /** Queue capacity that was reached. */
  readonly capacity: number;

  constructor(capacity: number) {
    super('DISCORD_QUEUE_FULL', `Discord send queue is full (${capacity} waiting); try again later`, {
      retryable: true,
    });
    this.capacity = capacity;
  }
}

function readNumber(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'number' ? field : undefined;
}

function readString(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

/** True for a DOM/undici/discord.js abort error. */
export function isAbortLike(error: unknown): boolean {
  return readString(error, 'name') === 'AbortError' || readString(error, 'code') === 'ABORT_ERR';
}

/**
 * Turns whatever discord.js threw (DiscordAPIError, HTTPError, RateLimitError, network error,
 * abort) into a chatlane error, duck-typed so no runtime import of discord.js is needed.
 */
export function toDiscordError(error: unknown, method: string, path: string, signal?: AbortSignal): Error {
  if (error instanceof ChatlaneError) return error;
  if (signal?.aborted) return new AbortError('Discord request aborted', { cause: error });
  if (isAbortLike(error)) {
    // Not our signal: discord.js's own request timeout fired (after its retries).
    const init = { status: 0, discordCode: undefined, method, path };
    return new DiscordDeliveryError(`Discord ${method} ${path} timed out`, init, {
      cause: error,
      retryable: true,
    });
  }
  const status = readNumber(error, 'status') ?? 0;
  const rawCode = readNumber(error, 'code');
  const discordCode = status > 0 && rawCode !== undefined && rawCode > 0 ? rawCode : undefined;
  const retryable =
    status === 0 ||
    status >= HTTP_SERVER_ERROR_MIN ||
    status === HTTP_TOO_MANY_REQUESTS ||
    (discordCode !== undefined && RETRYABLE_DISCORD_CODES.has(discordCode));
  const text = readString(error, 'message') ?? String(error);
  const message = `Discord ${method} ${path} failed${status ? ` (${status}${discordCode ? `/${discordCode}` : ''})` : ''}: ${text}`;
  return new DiscordDeliveryError(
    message,
    { status, discordCode, method, path },
    { cause: error, retryable },
  );
}
