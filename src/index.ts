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
export { SessionCache } from './session/cache.ts';
export type { AppendOptions, GetHistoryOptions, GetProfileOptions } from './session/call-options.ts';
export { ProfileLoadError, SessionStoreError } from './session/errors.ts';
export type { InvalidationOrigin, SessionCacheEvents, SessionCacheStats } from './session/events.ts';
export type { MemorySessionStoreOptions } from './session/memory-store.ts';
export { MemorySessionStore } from './session/memory-store.ts';
export type {
  HistoryBudgets,
  ProfileLoadContext,
  ProfileLoader,
  SessionCacheOptions,
} from './session/options.ts';
export type { RedisSessionStoreOptions } from './session/redis-store.ts';
export { RedisSessionStore } from './session/redis-store.ts';
export type {
  GuildDeletion,
  HistoryAppendOptions,
  ProfileWriteOptions,
  SessionStore,
  SessionStoreStats,
  StoreInvalidation,
} from './session/store.ts';
export { estimateTokens } from './session/token-estimator.ts';
export type { ChatMessage, ChatRole, HistoryKind, TokenCounter } from './session/types.ts';

// ─── DiscordSender ────────────────────────────────────────────────────────────────────────────

// ─── SloMonitor ───────────────────────────────────────────────────────────────────────────────
