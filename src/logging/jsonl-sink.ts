import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { LOG_JSONL_BUFFER_BYTES, LOG_JSONL_FLUSH_INTERVAL_MS } from '../constants.ts';
import { parseOptions } from '../internal/options.ts';
import type { LogEvent, LogSink } from './event.ts';
import { createRedactor, type Redactor } from './redact.ts';

/** Options of {@link JsonlSink}. Give exactly one of `path` or `stream`. */
export interface JsonlSinkOptions {
  /** File to append to (created if missing); the sink owns and closes it. */
  path?: string;
  /** A stream to write to (e.g. `process.stdout`); the sink never ends it. */
  stream?: Writable;
  /** Bytes buffered before a write is forced. @default LOG_JSONL_BUFFER_BYTES (64 KiB) */
  bufferBytes?: number;
  /** A partly filled buffer is written after this long. @default LOG_JSONL_FLUSH_INTERVAL_MS (250) */
  flushIntervalMs?: number;
  /** Secret strings never written (besides secret-looking keys and token shapes). */
  secrets?: string[];
}

export const jsonlSinkOptionsSchema = z
  .strictObject({
    path: z.string().min(1).optional(),
    stream: z.custom<Writable>((v) => typeof (v as Writable | undefined)?.write === 'function').optional(),
    bufferBytes: z.number().int().min(1).default(LOG_JSONL_BUFFER_BYTES),
    flushIntervalMs: z.number().int().min(1).default(LOG_JSONL_FLUSH_INTERVAL_MS),
    secrets: z.array(z.string()).default([]),
  })
  .refine((o) => (o.path === undefined) !== (o.stream === undefined), {
    message: 'give exactly one of `path` or `stream`',
  });

/**
 * JSON Lines sink: one event per line with exactly the keys `ts, level, name, subsys, guild_id,
 * user_id, msg_id, event, detail`. Lines are buffered and written whole (never a torn line) so
 * logging does not block the event loop on each event; `flush()`/`close()` write the rest.
 */
export class JsonlSink implements LogSink {
  readonly #stream: Writable;
  readonly #ownsStream: boolean;
  readonly #bufferBytes: number;
  readonly #flushIntervalMs: number;
  readonly #redact: Redactor;
  #lines: string[] = [];
  #bytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: JsonlSinkOptions) {
    const o = parseOptions(jsonlSinkOptionsSchema, options, 'JsonlSink options');
    this.#ownsStream = o.path !== undefined;
    this.#stream = o.path !== undefined ? createWriteStream(o.path, { flags: 'a' }) : o.stream!;
    this.#bufferBytes = o.bufferBytes;
    this.#flushIntervalMs = o.flushIntervalMs;
    this.#redact = createRedactor(o.secrets);
    this.#stream.on('error', () => {
      // A failing log destination must not crash the bot; further lines are dropped with it.
      this.#closed = true;
    });
  }

  write(event: LogEvent): void {
    if (this.#closed) return;
    const line = `${JSON.stringify({
      ts: event.ts,
      level: event.level,
      name: event.name,
      subsys: event.subsys,
      guild_id: event.guild_id,
      user_id: event.user_id,
      msg_id: event.msg_id,
      event: event.event,
      detail: this.#redact(event.detail),
    })}\n`;
    this.#lines.push(line);
    this.#bytes += Buffer.byteLength(line);
    if (this.#bytes >= this.#bufferBytes) this.#writeBuffered();
    else this.#timer ??= setTimeout(() => this.#writeBuffered(), this.#flushIntervalMs).unref();
  }

  #writeBuffered(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#lines.length === 0 || this.#closed) return;
    const chunk = this.#lines.join('');
    this.#lines = [];
    this.#bytes = 0;
    this.#stream.write(chunk);
  }

  /** Writes every buffered line and waits until the stream has taken it. */
  async flush(): Promise<void> {
    this.#writeBuffered();
    if (this.#closed || this.#stream.writableLength === 0) return;
    await new Promise<void>((resolve) => this.#stream.write('', () => resolve()));
  }

  /** Flushes, clears the timer and ends the file stream the sink opened. Idempotent. */
  async close(): Promise<void> {
    await this.flush();
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsStream) await new Promise<void>((resolve) => this.#stream.end(resolve));
  }
}
