import { z } from 'zod';
import { LOG_DEFAULT_NAME, LOG_DEFAULT_SUBSYS } from '../constants.ts';
import { type Clock, clockOption, wallClock } from '../internal/clock.ts';
import { parseOptions } from '../internal/options.ts';
import { type LogEvent, type LoggerLike, type LogLevel, type LogSink, levelRank } from './event.ts';
import { createRedactor, type Redactor } from './redact.ts';

/** Fields a child logger binds to every event it writes. */
export interface LogBindings {
  name?: string;
  subsys?: string;
  guild_id?: string | null;
  user_id?: string | null;
  msg_id?: string | null;
}

/** Options of {@link Logger}. */
export interface LoggerOptions {
  /** Where events go: e.g. `[new ConsoleSink(), new JsonlSink({ path })]`. */
  sinks: LogSink[];
  /** Logger name. @default 'chatlane' */
  name?: string;
  /** Subsystem. @default 'core' */
  subsys?: string;
  /** Events below this level are dropped before any sink. @default 'DEBUG' */
  level?: LogLevel;
  /** Secret strings (API keys, tokens) that must never reach a sink. */
  secrets?: string[];
  /** Clock whose `now()` (epoch ms) stamps `ts` (`ManualClock` in tests). @default the wall clock (`Date.now()`) */
  clock?: Clock;
}

export const loggerOptionsSchema = z.strictObject({
  sinks: z.array(z.custom<LogSink>((v) => typeof (v as LogSink | undefined)?.write === 'function')),
  name: z.string().min(1).default(LOG_DEFAULT_NAME),
  subsys: z.string().min(1).default(LOG_DEFAULT_SUBSYS),
  level: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']).default('DEBUG'),
  secrets: z.array(z.string()).default([]),
  clock: clockOption(wallClock),
});

interface LoggerCore {
  sinks: LogSink[];
  minRank: number;
  redact: Redactor;
  clock: Clock;
}

const BOUND_KEYS = ['name', 'subsys', 'guild_id', 'user_id', 'msg_id'] as const;

/**
 * chatlane's logger: one event model ({@link LogEvent}) fanned out to sinks. Its methods have the
 * pino shape `info(detail, event)`, so it satisfies {@link LoggerLike}; `guild_id`, `user_id`,
 * `msg_id` (and `name`, `subsys`) found in `detail` become top-level fields. Secrets are redacted
 * before any sink sees the event.
 */
export class Logger implements LoggerLike {
  readonly #core: LoggerCore;
  readonly #bindings: Required<LogBindings>;

  constructor(options: LoggerOptions);
  /** @internal */
  constructor(options: LoggerOptions, core: LoggerCore, bindings: Required<LogBindings>);
  constructor(options: LoggerOptions, core?: LoggerCore, bindings?: Required<LogBindings>) {
    if (core && bindings) {
      this.#core = core;
      this.#bindings = bindings;
      return;
    }
    const o = parseOptions(loggerOptionsSchema, options, 'Logger options');
    this.#core = {
      sinks: o.sinks,
      minRank: levelRank(o.level),
      redact: createRedactor(o.secrets),
      clock: o.clock,
    };
    this.#bindings = { name: o.name, subsys: o.subsys, guild_id: null, user_id: null, msg_id: null };
  }

  /** A logger writing to the same sinks with extra bound fields (e.g. one per message). */
  child(bindings: LogBindings): Logger {
    return new Logger({ sinks: [] }, this.#core, { ...this.#bindings, ...stripUndefined(bindings) });
  }

  debug(detail: object, event: string): void {
    this.log('DEBUG', event, detail);
  }
  info(detail: object, event: string): void {
    this.log('INFO', event, detail);
  }
  warn(detail: object, event: string): void {
    this.log('WARNING', event, detail);
  }
  error(detail: object, event: string): void {
    this.log('ERROR', event, detail);
  }
  critical(detail: object, event: string): void {
    this.log('CRITICAL', event, detail);
  }

  /** Writes one event at `level` to every sink. Never throws. */
  log(level: LogLevel, event: string, detail: object = {}): void {
    if (levelRank(level) < this.#core.minRank) return;
    const fields = { ...this.#bindings };
    const rest: Record<string, unknown> = {};
    for (const key of Object.keys(detail)) {
      const value = readField(detail, key);
      if ((BOUND_KEYS as readonly string[]).includes(key)) {
        (fields as Record<string, unknown>)[key] =
          value === undefined || value === null ? null : String(value);
      } else rest[key] = value;
    }
    const entry: LogEvent = {
      ts: new Date(this.#core.clock.now()).toISOString(),
      level,
      name: fields.name ?? LOG_DEFAULT_NAME,
      subsys: fields.subsys ?? LOG_DEFAULT_SUBSYS,
      guild_id: fields.guild_id,
      user_id: fields.user_id,
      msg_id: fields.msg_id,
      event,
      detail: this.#core.redact(rest) as Record<string, unknown>,
    };
    for (const sink of this.#core.sinks) {
      try {
        sink.write(entry);
      } catch {
        // One broken sink must not silence the others or crash the caller.
      }
    }
  }

  /** Flushes every sink. */
  async flush(): Promise<void> {
    await Promise.all(this.#core.sinks.map((sink) => sink.flush?.()));
  }

  /** Flushes and closes every sink (timers cleared, owned files closed). */
  async close(): Promise<void> {
    await Promise.all(this.#core.sinks.map((sink) => sink.close?.()));
  }
}

function stripUndefined(bindings: LogBindings): LogBindings {
  return Object.fromEntries(Object.entries(bindings).filter(([, v]) => v !== undefined)) as LogBindings;
}

/** A field of `detail`; one whose getter throws reads as `[unserializable]` (logging never throws). */
function readField(detail: object, key: string): unknown {
  try {
    return (detail as Record<string, unknown>)[key];
  } catch {
    return '[unserializable]';
  }
}
