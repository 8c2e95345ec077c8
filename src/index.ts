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
  RouteMessage,
  RoutePath,
  RouterModels,
  RouteSkip,
  RouteSource,
} from './router/types.ts';
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

// ─── SessionCache ─────────────────────────────────────────────────────────────────────────────

// ─── DiscordSender ────────────────────────────────────────────────────────────────────────────

// ─── SloMonitor ───────────────────────────────────────────────────────────────────────────────
