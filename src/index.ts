/**
 * chatlane — low-latency LLM chat pipelines.
 *
 * This file is the public boundary: every name exported here is part of the API; everything else
 * under `src/` is internal and may change in any release.
 *
 * @packageDocumentation
 */

// ─── Constants & errors ───────────────────────────────────────────────────────────────────────
export * as defaults from './constants.ts';
export type { ChatlaneErrorOptions } from './errors.ts';
export { AbortError, ChatlaneError, ClosedError, InvalidOptionsError, isChatlaneError } from './errors.ts';

// ─── PhaseTimer & logging ─────────────────────────────────────────────────────────────────────
export type { PhaseName } from './timing/phases.ts';
export { PHASES } from './timing/phases.ts';

// ─── OpenRouterClient ─────────────────────────────────────────────────────────────────────────

// ─── TemplateCache ────────────────────────────────────────────────────────────────────────────

// ─── FastPathRouter ───────────────────────────────────────────────────────────────────────────

// ─── SessionCache ─────────────────────────────────────────────────────────────────────────────

// ─── DiscordSender ────────────────────────────────────────────────────────────────────────────
export type { AllowedMentions } from './discord/content.ts';
export { cleanContent } from './discord/content.ts';
export type { DiscordApiErrorInit } from './discord/errors.ts';
export {
  DISCORD_ERROR_CODES,
  DiscordApiError,
  DiscordContentError,
  DiscordQueueFullError,
} from './discord/errors.ts';
export type { DiscordSenderOptions, SenderClock, TimerHandle } from './discord/options.ts';
export { DEFAULT_STREAM_ERROR_NOTICE, systemClock } from './discord/options.ts';
export type { SendPriority } from './discord/queue.ts';
export type { InvalidRequestWarning, RateLimitEvent } from './discord/rate-limit.ts';
export { DiscordSender } from './discord/sender.ts';
export type { SplitOptions, SplitResult } from './discord/split.ts';
export { defaultCutNotice, splitMessage } from './discord/split.ts';
export type { DiscordSenderStats } from './discord/stats.ts';
export type { StreamItem } from './discord/stream.ts';
export type {
  DiscordSenderEvents,
  DiscordTarget,
  SendOptions,
  SendResult,
  StreamOptions,
  StreamResult,
} from './discord/types.ts';

// ─── SloMonitor ───────────────────────────────────────────────────────────────────────────────
