import {
  LOG_DEFAULT_NAME,
  LOG_DEFAULT_SUBSYS,
  LOG_JSONL_BUFFER_BYTES,
  LOG_JSONL_FLUSH_INTERVAL_MS,
} from '../constants.ts';
import type { JsonlSinkOptions } from './jsonl-sink.ts';
import type { LoggerOptions } from './logger.ts';

/** Every default of {@link LoggerOptions} that is a value (the wall clock, `Date.now()`, is the default `clock`). */
export const DEFAULT_LOGGER_OPTIONS = Object.freeze({
  name: LOG_DEFAULT_NAME,
  subsys: LOG_DEFAULT_SUBSYS,
  level: 'DEBUG',
} as const);

/** Every default of {@link JsonlSinkOptions} that is a value. */
export const DEFAULT_JSONL_SINK_OPTIONS = Object.freeze({
  bufferBytes: LOG_JSONL_BUFFER_BYTES,
  flushIntervalMs: LOG_JSONL_FLUSH_INTERVAL_MS,
} as const);
