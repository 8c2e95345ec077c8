/** Log levels, lowest to highest. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The one event model every sink receives. The JSONL sink writes exactly these keys, in this
 * order; the pretty console sink renders them as one aligned line.
 */
export interface LogEvent {
  /** ISO-8601 UTC timestamp with milliseconds, e.g. `2025-08-08T16:33:32.074Z`. */
  ts: string;
  level: LogLevel;
  /** Logger name, e.g. `discord-bot.Router`. */
  name: string;
  /** Subsystem, e.g. `core`. */
  subsys: string;
  guild_id: string | null;
  user_id: string | null;
  msg_id: string | null;
  /** What happened, snake_case: `pipeline_complete`, `slo_breach`, … */
  event: string;
  /** Everything else; for `pipeline_complete`: `corr_id`, `total_duration_ms`, `phases`. */
  detail: Record<string, unknown>;
}

/** Where events go. Sinks never throw from `write`. */
export interface LogSink {
  write(event: LogEvent): void;
  /** Writes out anything buffered. */
  flush?(): Promise<void>;
  /** Flushes and releases the sink's resources (timers, owned streams). */
  close?(): Promise<void>;
}

/**
 * The logger interface chatlane's primitives accept. A pino logger satisfies it as it is
 * (`logger.info(detail, event)`), and so does chatlane's own {@link Logger}.
 */
export interface LoggerLike {
  debug(detail: object, event: string): void;
  info(detail: object, event: string): void;
  warn(detail: object, event: string): void;
  error(detail: object, event: string): void;
}

/** Numeric rank of a level, for threshold comparisons. */
export function levelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}
