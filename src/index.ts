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
// ─── OpenRouterClient ─────────────────────────────────────────────────────────────────────────
export type { BreakerState } from './openrouter/breaker.ts';
export { OpenRouterClient } from './openrouter/client.ts';
export type { OpenRouterErrorObject, TimeoutKind } from './openrouter/errors.ts';
export {
  AllModelsFailedError,
  CircuitOpenError,
  InvalidResponseError,
  OpenRouterConnectionError,
  OpenRouterHttpError,
  TimeoutError,
} from './openrouter/errors.ts';
export type { OpenRouterEvents } from './openrouter/events.ts';
export type {
  OpenRouterBreakerOptions,
  OpenRouterClientOptions,
  OpenRouterHedgeOptions,
} from './openrouter/options.ts';
export { SseParser } from './openrouter/sse.ts';
export type { OpenRouterModelStats, OpenRouterStats, PercentileSummary } from './openrouter/stats.ts';
export type {
  ChatCallOptions,
  ChatContentPart,
  ChatMessage,
  ChatRequest,
  ChatResult,
  ChatUsage,
  OpenRouterStreamDelta,
  OpenRouterStreamDone,
  OpenRouterStreamItem,
  OpenRouterStreamReset,
  StreamCallOptions,
} from './openrouter/types.ts';
// ─── PhaseTimer & logging ─────────────────────────────────────────────────────────────────────
export type { PhaseName } from './timing/phases.ts';
export { PHASES } from './timing/phases.ts';

// ─── TemplateCache ────────────────────────────────────────────────────────────────────────────

// ─── FastPathRouter ───────────────────────────────────────────────────────────────────────────

// ─── SessionCache ─────────────────────────────────────────────────────────────────────────────

// ─── DiscordSender ────────────────────────────────────────────────────────────────────────────

// ─── SloMonitor ───────────────────────────────────────────────────────────────────────────────
