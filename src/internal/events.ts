import type { LoggerLike } from '../logging/event.ts';

/** A listener map: event name → payload type. Declared names only: a misspelled name is a compile error. */
export type EventMap<Events> = { [K in keyof Events]: unknown };

/** The `name` of the warning a throwing listener (or logger) is reported with (`process.on('warning', …)`). */
export const LISTENER_WARNING_NAME = 'ChatlaneListenerWarning';

/** A logger method a primitive logs its events with. */
export type LogMethod = keyof LoggerLike;

/** How one event is logged: level, stable snake_case event name, and the detail (the payload by default). */
export interface EventLogRule<P> {
  readonly level: LogMethod;
  readonly name: string;
  readonly detail?: (payload: P) => object;
}

/** Which events a primitive logs, and how. */
export type EventLogTable<Events> = { readonly [K in keyof Events]?: EventLogRule<Events[K]> };

/** A logger (`undefined`: no logging) and the primitive's {@link EventLogTable}. */
export interface EventLogging<Events> {
  /** A logger; a method the table needs but the logger lacks is skipped (SloMonitor accepts `{ warn, info }`). */
  readonly logger: Partial<LoggerLike> | undefined;
  readonly table: EventLogTable<Events>;
}

/**
 * Reports a listener's (or logger's) failure the way Node reports a warning: a `'warning'` event on
 * `process`, emitted on the next tick, with the error as `cause`; `who` names the failing callback.
 * The caller's work goes on.
 */
export function reportListenerError(event: PropertyKey, error: unknown, who = 'A listener'): void {
  const warning = new Error(`${who} of the '${String(event)}' event threw: ${String(error)}`, {
    cause: error,
  });
  warning.name = LISTENER_WARNING_NAME;
  process.emitWarning(warning);
}

/** Calls a user callback for `event`; a throw is reported by {@link reportListenerError}, never rethrown. */
export function callListener(event: PropertyKey, callback: () => void, who?: string): void {
  try {
    callback();
  } catch (error) {
    reportListenerError(event, error, who);
  }
}

/**
 * The default log detail of a payload: its fields, with a per-call `context` (e.g. `{ corr_id }`)
 * merged in at the top level, as the logger's other events carry them.
 */
export function logDetail(payload: unknown): object {
  if (payload === null || typeof payload !== 'object') return { value: payload };
  const { context, ...fields } = payload as { context?: unknown };
  return context !== null && typeof context === 'object' ? { ...fields, ...context } : fields;
}

/**
 * A typed event hub. `on()` returns an unsubscribe function. With {@link EventLogging}, every
 * emitted event of the table is also logged (before the listeners run). A throwing listener or
 * logger never breaks `emit()` nor the primitive's work: it is reported through
 * `process.emitWarning` (a `ChatlaneListenerWarning`, the error as `cause`).
 */
export class EventHub<Events extends EventMap<Events>> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  readonly #logging: EventLogging<Events> | undefined;

  constructor(logging?: EventLogging<Events>) {
    this.#logging = logging?.logger === undefined ? undefined : logging;
  }

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    this.#log(event, payload);
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of set)
      callListener(event, () => (listener as (payload: Events[K]) => void)(payload));
  }

  /** True when `event` has listeners or is logged: worth building its payload. */
  hasListeners(event: keyof Events): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0 || this.#logging?.table[event] !== undefined;
  }

  clear(): void {
    this.#listeners.clear();
  }

  #log<K extends keyof Events>(event: K, payload: Events[K]): void {
    const rule = this.#logging?.table[event];
    const logger = this.#logging?.logger;
    if (rule === undefined || logger === undefined) return;
    const write = () => logger[rule.level]?.((rule.detail ?? logDetail)(payload), rule.name);
    callListener(event, write, 'The logger');
  }
}
