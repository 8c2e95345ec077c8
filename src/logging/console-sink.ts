import type { Writable } from 'node:stream';
import { z } from 'zod';
import { shouldColour } from '../internal/colour.ts';
import { parseOptions } from '../internal/options.ts';
import { formatConsoleLine } from './console-format.ts';
import { type LogEvent, type LogLevel, type LogSink, levelRank } from './event.ts';
import { createRedactor, type Redactor } from './redact.ts';

/** Options of {@link ConsoleSink}. */
export interface ConsoleSinkOptions {
  /** Where lines go. @default process.stderr */
  stream?: Writable & { isTTY?: boolean };
  /**
   * Colours on or off. @default on when the stream is a colour TTY and `NO_COLOR` is not set, or
   * when `FORCE_COLOR` is set (and not `0`/`false`)
   */
  color?: boolean;
  /** Events below this level are not shown. @default 'DEBUG' */
  level?: LogLevel;
  /** Secret strings never written (besides secret-looking keys and token shapes). */
  secrets?: string[];
}

const schema = z.strictObject({
  stream: z.custom<Writable>((v) => typeof (v as Writable | undefined)?.write === 'function').optional(),
  color: z.boolean().optional(),
  level: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']).default('DEBUG'),
  secrets: z.array(z.string()).default([]),
});

/**
 * Pretty console sink: icons ✔ ⚠ ✖ ℹ, local time with ms, level colours, long values cut with
 * `…(+N)`, fields aligned in a grid; plain text when the stream is not a TTY or `NO_COLOR` is set
 * (unless `FORCE_COLOR` is).
 */
export class ConsoleSink implements LogSink {
  readonly #stream: Writable;
  readonly #colour: boolean;
  readonly #minRank: number;
  readonly #redact: Redactor;

  constructor(options: ConsoleSinkOptions = {}) {
    const o = parseOptions(schema, options, 'ConsoleSink options');
    const stream = (o.stream ?? process.stderr) as Writable & { isTTY?: boolean };
    this.#stream = stream;
    this.#colour = o.color ?? shouldColour(stream);
    this.#minRank = levelRank(o.level);
    this.#redact = createRedactor(o.secrets);
  }

  write(event: LogEvent): void {
    if (levelRank(event.level) < this.#minRank) return;
    const detail = this.#redact(event.detail) as Record<string, unknown>;
    this.#stream.write(`${formatConsoleLine({ ...event, detail }, this.#colour)}\n`);
  }
}
