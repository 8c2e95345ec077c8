import type { REST } from 'discord.js';
import { z } from 'zod';
import {
  DISCORD_DM_CACHE_MAX,
  DISCORD_MAX_IN_FLIGHT,
  DISCORD_MAX_MESSAGE_CHARS,
  DISCORD_MAX_PARTS,
  DISCORD_MIN_MESSAGE_CHARS,
  DISCORD_QUEUE_MAX,
  DISCORD_RATE_LIMIT_JITTER_MAX_MS,
  DISCORD_RATE_LIMIT_JITTER_MIN_MS,
  DISCORD_SIMPLE_TEXT_CHARS,
  DISCORD_STREAM_EDIT_INTERVAL_MS,
  DISCORD_TYPING_DELAY_MS,
  DISCORD_TYPING_REFRESH_MS,
  PIPELINE_MAX_PARALLEL_TASKS,
} from '../constants.ts';
import { type Clock, clockOption, systemClock } from '../internal/clock.ts';
import { loggerOption, parseOptions } from '../internal/options.ts';
import type { LoggerLike } from '../logging/event.ts';
import type { AllowedMentions } from './content.ts';

/**
 * The part of discord.js's `REST` the sender uses: a discord.js `REST` (or `client.rest`) is one.
 * Declared structurally, so chatlane's types compile in a project without discord.js installed.
 */
export interface DiscordRestLike {
  /** `POST` a route, e.g. `/channels/1/messages`. */
  post(route: `/${string}`, options?: object): Promise<unknown>;
  /** `PATCH` a route. */
  patch(route: `/${string}`, options?: object): Promise<unknown>;
  /** `DELETE` a route. */
  delete(route: `/${string}`, options?: object): Promise<unknown>;
  /** Subscribes to the `response` and `rateLimited` events (the sender's rate-limit view). */
  on(event: 'response' | 'rateLimited', listener: (...args: never[]) => void): unknown;
  /** Unsubscribes (on `close()`). */
  off(event: 'response' | 'rateLimited', listener: (...args: never[]) => void): unknown;
}

/** The part of a discord.js `Client` the sender uses: its `rest`. */
export interface DiscordClientLike {
  /** The client's REST instance. */
  readonly rest: DiscordRestLike;
}

/** Options of `new DiscordSender(options)`. Give `rest` or `client`. */
export interface DiscordSenderOptions {
  /** A discord.js `REST` instance; reused as is (one HTTP session, one set of rate-limit queues). */
  rest?: DiscordRestLike;
  /** A discord.js `Client`; its `client.rest` is used. */
  client?: DiscordClientLike;
  /** Mentions allowed to ping, on every create and every edit. @default none (`{ parse: [] }`) */
  allowedMentions?: AllowedMentions;
  /** Work waiting in the queue at most; past it `send`/`stream` reject with `DISCORD_QUEUE_FULL`. @default DISCORD_QUEUE_MAX (1000) */
  maxQueue?: number;
  /** REST calls in flight across all channels. @default DISCORD_MAX_IN_FLIGHT (10) */
  maxInFlight?: number;
  /** REST calls in flight per channel (message creates stay in order). @default PIPELINE_MAX_PARALLEL_TASKS (3) */
  maxInFlightPerChannel?: number;
  /** Longest message, 200–2000. @default DISCORD_MAX_MESSAGE_CHARS (2000) */
  maxChars?: number;
  /** Most messages one reply is split into. @default DISCORD_MAX_PARTS (10) */
  maxParts?: number;
  /** Plain text shorter than this goes out in one request without split processing. @default DISCORD_SIMPLE_TEXT_CHARS (50) */
  simpleTextChars?: number;
  /** Streaming: minimum time between two edits of a message. @default DISCORD_STREAM_EDIT_INTERVAL_MS (1200) */
  editIntervalMs?: number;
  /** `withTyping`: the indicator starts only if the work is not done after this long. @default DISCORD_TYPING_DELAY_MS (800) */
  typingDelayMs?: number;
  /** `withTyping`: refresh interval of the indicator (Discord expires it after ~10 s). @default DISCORD_TYPING_REFRESH_MS (8000) */
  typingRefreshMs?: number;
  /** Lower bound of the jitter added after a rate-limit reset. @default DISCORD_RATE_LIMIT_JITTER_MIN_MS (100) */
  jitterMinMs?: number;
  /** Upper bound of the jitter added after a rate-limit reset. @default DISCORD_RATE_LIMIT_JITTER_MAX_MS (300) */
  jitterMaxMs?: number;
  /** DM channel ids remembered (LRU). @default DISCORD_DM_CACHE_MAX (1000) */
  dmCacheSize?: number;
  /**
   * Appended to a streamed reply whose source failed: a string, or a function of the error (e.g.
   * chatlane's `userFacingFailure`; if it throws, the default is used).
   * @default '⚠️ *The reply was interrupted by an error.*'
   */
  streamErrorNotice?: string | ((error: unknown) => string);
  /** Clock and timers. @default the real clock (`performance.now()`, Node timers) */
  clock?: Clock;
  /** Random source in [0, 1) for the jitter. @default Math.random */
  random?: () => number;
  /**
   * Logger the sender writes `discord_rate_limited` and `discord_invalid_requests` (WARNING) to.
   * @default none
   */
  logger?: LoggerLike;
}

/** Default notice appended to a streamed reply whose source failed. */
export const DEFAULT_STREAM_ERROR_NOTICE = '⚠️ *The reply was interrupted by an error.*';

const positiveInt = z.number().int().min(1);
const nonNegative = z.number().min(0);
const hasRest = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { post?: unknown }).post === 'function';

const schema = z
  .strictObject({
    rest: z.custom<DiscordRestLike>(hasRest, { message: 'Expected a discord.js REST instance' }).optional(),
    client: z
      .custom<DiscordClientLike>((value) => hasRest((value as { rest?: unknown } | null)?.rest), {
        message: 'Expected a discord.js Client',
      })
      .optional(),
    allowedMentions: z.custom<AllowedMentions>((v) => typeof v === 'object' && v !== null).optional(),
    maxQueue: positiveInt.default(DISCORD_QUEUE_MAX),
    maxInFlight: positiveInt.default(DISCORD_MAX_IN_FLIGHT),
    maxInFlightPerChannel: positiveInt.default(PIPELINE_MAX_PARALLEL_TASKS),
    maxChars: z
      .number()
      .int()
      .min(DISCORD_MIN_MESSAGE_CHARS)
      .max(DISCORD_MAX_MESSAGE_CHARS)
      .default(DISCORD_MAX_MESSAGE_CHARS),
    maxParts: positiveInt.default(DISCORD_MAX_PARTS),
    simpleTextChars: nonNegative.default(DISCORD_SIMPLE_TEXT_CHARS),
    editIntervalMs: nonNegative.default(DISCORD_STREAM_EDIT_INTERVAL_MS),
    typingDelayMs: nonNegative.default(DISCORD_TYPING_DELAY_MS),
    typingRefreshMs: positiveInt.default(DISCORD_TYPING_REFRESH_MS),
    jitterMinMs: nonNegative.default(DISCORD_RATE_LIMIT_JITTER_MIN_MS),
    jitterMaxMs: nonNegative.default(DISCORD_RATE_LIMIT_JITTER_MAX_MS),
    dmCacheSize: positiveInt.default(DISCORD_DM_CACHE_MAX),
    streamErrorNotice: z
      .union([z.string().min(1), z.custom<(error: unknown) => string>((v) => typeof v === 'function')])
      .default(DEFAULT_STREAM_ERROR_NOTICE),
    clock: clockOption(systemClock),
    random: z.custom<() => number>((v) => typeof v === 'function').default(() => Math.random),
    logger: loggerOption,
  })
  .refine((o) => o.rest !== undefined || o.client !== undefined, {
    message: 'Expected `rest` (a discord.js REST) or `client` (a discord.js Client)',
    path: ['rest'],
  })
  .refine((o) => o.jitterMaxMs >= o.jitterMinMs, {
    message: 'Expected `jitterMaxMs` ≥ `jitterMinMs`',
    path: ['jitterMaxMs'],
  });

/** Options after validation and defaults. */
export type ResolvedSenderOptions = z.output<typeof schema> & { rest: REST };

/** Validates `DiscordSender` options (naming every bad value) and fills in defaults. */
export function resolveSenderOptions(input: DiscordSenderOptions): ResolvedSenderOptions {
  const parsed = parseOptions(schema, input, 'DiscordSender options');
  const rest = parsed.rest ?? (parsed.client as DiscordClientLike).rest;
  // The structural type is the public face; inside, the sender speaks discord.js's REST API.
  return { ...parsed, rest: rest as unknown as REST };
}
