import {
  DISCORD_DM_CACHE_MAX,
  DISCORD_MAX_IN_FLIGHT,
  DISCORD_MAX_MESSAGE_CHARS,
  DISCORD_MAX_PARTS,
  DISCORD_QUEUE_MAX,
  DISCORD_RATE_LIMIT_JITTER_MAX_MS,
  DISCORD_RATE_LIMIT_JITTER_MIN_MS,
  DISCORD_SIMPLE_TEXT_CHARS,
  DISCORD_STREAM_EDIT_INTERVAL_MS,
  DISCORD_TYPING_DELAY_MS,
  DISCORD_TYPING_REFRESH_MS,
  PIPELINE_MAX_PARALLEL_TASKS,
} from '../constants.ts';
import { DEFAULT_STREAM_ERROR_NOTICE, type DiscordSenderOptions } from './options.ts';

/**
 * Every default of {@link DiscordSenderOptions} that is a value (the real clock and `Math.random`
 * are the defaults of `clock` and `random`).
 */
export const DEFAULT_DISCORD_SENDER_OPTIONS = Object.freeze({
  maxQueue: DISCORD_QUEUE_MAX,
  maxInFlight: DISCORD_MAX_IN_FLIGHT,
  maxInFlightPerChannel: PIPELINE_MAX_PARALLEL_TASKS,
  maxChars: DISCORD_MAX_MESSAGE_CHARS,
  maxParts: DISCORD_MAX_PARTS,
  simpleTextChars: DISCORD_SIMPLE_TEXT_CHARS,
  editIntervalMs: DISCORD_STREAM_EDIT_INTERVAL_MS,
  typingDelayMs: DISCORD_TYPING_DELAY_MS,
  typingRefreshMs: DISCORD_TYPING_REFRESH_MS,
  jitterMinMs: DISCORD_RATE_LIMIT_JITTER_MIN_MS,
  jitterMaxMs: DISCORD_RATE_LIMIT_JITTER_MAX_MS,
  dmCacheSize: DISCORD_DM_CACHE_MAX,
  streamErrorNotice: DEFAULT_STREAM_ERROR_NOTICE,
} as const);
