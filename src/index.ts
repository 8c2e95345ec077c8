/**
 * chatlane — low-latency LLM chat pipelines.
 *
 * This file is the public boundary: every name exported here is part of the API; everything else
 * under `src/` is internal and may change in any release.
 *
 * @packageDocumentation
 */

// ─── Errors ───────────────────────────────────────────────────────────────────────────────────
// Defaults are not one bag: each primitive exports its own DEFAULT_<PRIMITIVE>_OPTIONS beside it.
export type { ChatlaneErrorCode } from './error-codes.ts';
export { CHATLANE_ERROR_CODES } from './error-codes.ts';
export type { ChatlaneErrorOptions } from './errors.ts';
export { AbortError, ChatlaneError, ClosedError, InvalidOptionsError, isChatlaneError } from './errors.ts';

// ─── PhaseTimer & logging ─────────────────────────────────────────────────────────────────────
export type { ConsoleSinkOptions } from './logging/console-sink.ts';
export { ConsoleSink } from './logging/console-sink.ts';
export { DEFAULT_JSONL_SINK_OPTIONS, DEFAULT_LOGGER_OPTIONS } from './logging/defaults.ts';
export type { LogEvent, LoggerLike, LogLevel, LogSink } from './logging/event.ts';
export { LOG_LEVELS } from './logging/event.ts';
export type { JsonlSinkOptions } from './logging/jsonl-sink.ts';
export { JsonlSink } from './logging/jsonl-sink.ts';
export type { LogBindings, LoggerOptions } from './logging/logger.ts';
export { Logger } from './logging/logger.ts';
export type { PipelineIds } from './logging/pipeline.ts';
export { logPipelineComplete } from './logging/pipeline.ts';
export type { Redactor } from './logging/redact.ts';
export { createRedactor } from './logging/redact.ts';
export { CORR_ID_PATTERN, newCorrId } from './timing/corr-id.ts';
export { DEFAULT_PHASE_TIMER_OPTIONS } from './timing/defaults.ts';
export type { PhaseTimerErrorCode } from './timing/errors.ts';
export { PhaseTimerError } from './timing/errors.ts';
export type {
  PhaseBreachEvent,
  PhaseEndEvent,
  PhaseSummary,
  PhaseTimerEvents,
  PhaseTimerOptions,
} from './timing/phase-timer.ts';
export { PhaseTimer } from './timing/phase-timer.ts';
export type { PhaseName } from './timing/phases.ts';
export { PHASES } from './timing/phases.ts';
export type { TimedStream, TimedStreamItem } from './timing/stream-timing.ts';
export { timeStream } from './timing/stream-timing.ts';

// ─── OpenRouterClient ─────────────────────────────────────────────────────────────────────────
export type { BreakerOrigin, BreakerState } from './openrouter/breaker.ts';
export { OpenRouterClient } from './openrouter/client.ts';
export { DEFAULT_OPENROUTER_CLIENT_OPTIONS } from './openrouter/defaults.ts';
export type {
  ConfigurationErrorReason,
  OpenRouterErrorObject,
  ResponseTooLargeInit,
  ResponseTooLargePart,
  TimeoutKind,
} from './openrouter/errors.ts';
export {
  AllModelsFailedError,
  CircuitOpenError,
  configurationErrorReason,
  InvalidResponseError,
  OpenRouterConnectionError,
  OpenRouterHttpError,
  ResponseTooLargeError,
  TimeoutError,
} from './openrouter/errors.ts';
export type { CallContext, OpenRouterEvents } from './openrouter/events.ts';
export type {
  OpenRouterAdaptiveFirstTokenOptions,
  OpenRouterBreakerOptions,
  OpenRouterClientOptions,
  OpenRouterHedgeOptions,
} from './openrouter/options.ts';
export { QueueTimeoutError } from './openrouter/queue-timeout-error.ts';
export {
  DEFAULT_REDIS_OPENROUTER_STATE_OPTIONS,
  RedisOpenRouterState,
  type RedisOpenRouterStateEvents,
  type RedisOpenRouterStateOptions,
} from './openrouter/shared-state.ts';
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

// ─── TemplateCache ────────────────────────────────────────────────────────────────────────────
export type { TemplateCacheEvents, TemplateCacheStats } from './templates/cache.ts';
export { TemplateCache } from './templates/cache.ts';
export type { TemplateSectionInfo } from './templates/compile.ts';
export type { TemplatePosition } from './templates/errors.ts';
export { TemplateSyntaxError, TemplateVariableError, TemplateWorkerError } from './templates/errors.ts';
export type { CompileOptions, TemplateCacheOptions } from './templates/options.ts';
export { DEFAULT_TEMPLATE_CACHE_OPTIONS } from './templates/options.ts';
export type { RenderedTemplate } from './templates/template.ts';
export { CompiledTemplate } from './templates/template.ts';
export type { TemplateVariables } from './templates/values.ts';

// ─── FastPathRouter ───────────────────────────────────────────────────────────────────────────
export type { FastPathRouterOptions } from './router/options.ts';
export { DEFAULT_FAST_PATH_ROUTER_OPTIONS } from './router/options.ts';
export type { FastPathRouterEvents } from './router/router.ts';
export { FastPathRouter } from './router/router.ts';
export type { RouterStats } from './router/stats.ts';
export type {
  ClassifierVerdict,
  RouteClassifier,
  RouteComplexity,
  RouteDecision,
  RouteErrorEvent,
  RouteMessage,
  RoutePath,
  RouterModels,
  RouteSkip,
  RouteSource,
} from './router/types.ts';

// ─── SessionCache ─────────────────────────────────────────────────────────────────────────────
export { SessionCache } from './session/cache.ts';
export type {
  AppendOptions,
  CallOptions,
  ConversationHistoryOptions,
  GetHistoryOptions,
  GetProfileOptions,
} from './session/call-options.ts';
export type { ConversationRef, ConversationTarget, ResolvedConversation } from './session/conversation.ts';
export { conversationKey, resolveConversation } from './session/conversation.ts';
export {
  DEFAULT_MEMORY_SESSION_STORE_OPTIONS,
  DEFAULT_REDIS_SESSION_STORE_OPTIONS,
  DEFAULT_SESSION_CACHE_OPTIONS,
} from './session/defaults.ts';
export {
  ProfileLoaderMissingError,
  ProfileLoadError,
  SessionStoreError,
  SessionStoreTimeoutError,
} from './session/errors.ts';
export type { InvalidationOrigin, SessionCacheEvents, SessionCacheStats } from './session/events.ts';
export type { MemorySessionStoreOptions } from './session/memory-store.ts';
export { MemorySessionStore } from './session/memory-store.ts';
export type {
  HistoryBudgets,
  ProfileLoadContext,
  ProfileLoader,
  SessionCacheOptions,
} from './session/options.ts';
export type { RedisClientLike, RedisSessionStoreOptions } from './session/redis-store-options.ts';
export { RedisSessionStore } from './session/redis-store.ts';
export {
  DEFAULT_REDIS_REPLY_JOURNAL_OPTIONS,
  type JournalEntry,
  type JournalRecoveryHandler,
  RedisReplyJournal,
  type RedisReplyJournalEvents,
  type RedisReplyJournalOptions,
} from './session/reply-journal.ts';
export type {
  CorruptEntry,
  GuildDeletion,
  HistoryAppendOptions,
  ProfileWriteOptions,
  SessionStore,
  SessionStoreStats,
  StoreInvalidation,
} from './session/store.ts';
export { estimateTokens } from './session/token-estimator.ts';
export type { HistoryKind, HistoryMessage, HistoryRole, TokenCounter } from './session/types.ts';

// ─── DiscordSender ────────────────────────────────────────────────────────────────────────────
export type { AllowedMentions } from './discord/content.ts';
export { DEFAULT_DISCORD_SENDER_OPTIONS } from './discord/defaults.ts';
export {
  DEFAULT_DISCORD_GLOBAL_LIMIT_OPTIONS,
  DiscordGlobalLimit,
  type DiscordGlobalLimitOptions,
  type MakeRequest,
} from './discord/global-limit.ts';
export type { DiscordDeliveryErrorCode, DiscordDeliveryErrorInit } from './discord/errors.ts';
export {
  DISCORD_ERROR_CODES,
  DiscordContentError,
  DiscordDeliveryError,
  DiscordQueueFullError,
} from './discord/errors.ts';
export type { DiscordClientLike, DiscordRestLike, DiscordSenderOptions } from './discord/options.ts';
export { DEFAULT_STREAM_ERROR_NOTICE } from './discord/options.ts';
/** The one clock shape every primitive's `clock` option (where it takes timers) accepts. */
export type { Clock, TimerHandle, TimerOptions } from './internal/clock.ts';
export type { SendPriority } from './discord/queue.ts';
export type { InvalidRequestWarning, RateLimitEvent } from './discord/rate-limit.ts';
export { DiscordSender } from './discord/sender.ts';
export type { SplitOptions, SplitResult } from './discord/split.ts';
export { DEFAULT_OVERFLOW_NOTICE, splitMessage } from './discord/split.ts';
export type { DiscordSenderStats } from './discord/stats.ts';
export type { StreamItem } from './discord/stream.ts';
export type {
  DiscordSenderEvents,
  DiscordTarget,
  SendOptions,
  SendResult,
  StreamFailure,
  StreamOptions,
  StreamResult,
  StreamTyping,
} from './discord/types.ts';

// ─── SloMonitor ───────────────────────────────────────────────────────────────────────────────
export type { DashboardOptions } from './slo/dashboard.ts';
export type { MetricsHandler, MetricsHandlerOptions } from './slo/http.ts';
export { SloMonitor } from './slo/monitor.ts';
export type { SloMonitorOptions, SloRegressionOptions } from './slo/options.ts';
export { DEFAULT_SLO_OPTIONS, DEFAULT_SLO_TARGETS } from './slo/options.ts';
export { PROMETHEUS_CONTENT_TYPE } from './slo/prometheus.ts';
export type {
  PhaseSloState,
  PhaseSloStatus,
  PhaseSummaryLike,
  SloBreach,
  SloEvent,
  SloMonitorEvents,
  SloRecovery,
  SloRegression,
  SloStatus,
} from './slo/types.ts';

// ─── Pipeline helpers ─────────────────────────────────────────────────────────────────────────
export type { DrainResult } from './pipeline/in-flight.ts';
export { InFlight } from './pipeline/in-flight.ts';
export type { FailureKind } from './pipeline/user-facing.ts';
export { FAILURE_REPLIES, failureKind, userFacingFailure } from './pipeline/user-facing.ts';
