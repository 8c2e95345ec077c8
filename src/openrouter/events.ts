/** Lifecycle events of the OpenRouter client (subscribe with `client.on(event, listener)`). */
import type { EventLogTable } from '../internal/events.ts';
import type { BreakerOrigin } from './breaker.ts';
import type { ConfigurationErrorReason } from './errors.ts';

/** The caller's `context` of a call (e.g. `{ corr_id }`), echoed on that call's events. */
export type CallContext = Readonly<Record<string, unknown>>;

/** Payloads by event name. Events of one call (`retry`, `fallback`, `hedge`, `reset`) carry its `context`. */
export type OpenRouterEvents = {
  /** A failed attempt is retried on the same model after `delayMs`. */
  retry: { model: string; attempt: number; delayMs: number; error: Error; context?: CallContext };
  /** The call moves from `from` to the next model `to`. */
  fallback: { from: string; to: string; error: Error; context?: CallContext };
  /**
   * A model's breaker opened after `failures` consecutive failures; `origin: 'remote'` when a peer
   * process opened it (`sharedState`).
   */
  breakerOpen: { model: string; failures: number; cooldownMs: number; origin: BreakerOrigin };
  /** A model's breaker closed after a successful half-open probe (a peer's when `origin: 'remote'`). */
  breakerClose: { model: string; origin: BreakerOrigin };
  /** A hedged attempt started on `hedge` because `primary` had not answered within `delayMs`. */
  hedge: { primary: string; hedge: string; delayMs: number; context?: CallContext };
  /** A stream restarted on `model` after a mid-stream failure. */
  reset: { model: string; from: string; error: Error; context?: CallContext };
  /**
   * OpenRouter refused for a reason that will not heal by itself — `auth` (401 bad key, 403
   * forbidden), `credits` (402), `model` (404 unknown model) — with this HTTP status (or in-band
   * code). Emitted for every such failed attempt: log it at ERROR and alert; retrying will not help.
   */
  configurationError: {
    model: string;
    status: number;
    reason: ConfigurationErrorReason;
    error: Error;
    context?: CallContext;
  };
};

/** What the ladder needs to emit events: the client's hub, or a per-call view adding `context`. */
export interface EventSink {
  emit<K extends keyof OpenRouterEvents>(event: K, payload: OpenRouterEvents[K]): void;
}

/** An event sink that adds the call's `context` to every payload (the hub itself when there is none). */
export function withContext(hub: EventSink, context: CallContext | undefined): EventSink {
  if (context === undefined) return hub;
  return { emit: (event, payload) => hub.emit(event, { ...payload, context }) };
}

/** The events the client logs through its `logger` option, with their stable names and levels. */
export const OPENROUTER_LOG_TABLE: EventLogTable<OpenRouterEvents> = {
  fallback: { level: 'warn', name: 'model_fallback' },
  reset: { level: 'warn', name: 'stream_restarted' },
  breakerOpen: { level: 'warn', name: 'breaker_open' },
  breakerClose: { level: 'info', name: 'breaker_recovered' },
  // A bad key, exhausted credits or an unknown model won't heal by itself: loud, for the operator.
  configurationError: { level: 'error', name: 'openrouter_configuration_error' },
};
