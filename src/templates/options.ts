import { z } from 'zod';
import {
  TEMPLATE_MAX_ENTRIES,
  TEMPLATE_MEMO_MAX_BYTES,
  TEMPLATE_MEMO_MAX_ENTRIES,
  TEMPLATE_TTL_MS,
  TEMPLATE_WORKER_POOL_SIZE,
  TEMPLATE_WORKER_THRESHOLD_CHARS,
} from '../constants.ts';
import { type Clock, clockOption, systemClock } from '../internal/clock.ts';
import { loggerOption } from '../internal/options.ts';
import type { LoggerLike } from '../logging/event.ts';

/** Options of {@link TemplateCache}. */
export interface TemplateCacheOptions {
  /** How long a compiled template stays cached after its compile. @default 300000 (5 minutes) */
  ttlMs?: number;
  /** Compiled templates kept at most (least recently used evicted). @default 500 */
  maxEntries?: number;
  /** Memoized section renders kept at most; `0` turns memoization off. @default 2000 */
  memoMaxEntries?: number;
  /**
   * Bytes of memoized section renders kept at most (key and text, UTF-16 length × 2; least
   * recently used evicted); a render larger than this is not memoized; `0` turns memoization off.
   * @default 8388608 (8 MiB, TEMPLATE_MEMO_MAX_BYTES)
   */
  memoMaxBytes?: number;
  /** Sources at least this many characters long are parsed on a worker thread. @default 65536 */
  workerThresholdChars?: number;
  /** Worker threads at most; `0` parses everything inline. @default 2 */
  workerPoolSize?: number;
  /** Clock for TTLs (`ManualClock` in tests). @default the real clock */
  clock?: Clock;
  /** Logger the cache writes `template_compiled` (DEBUG) to, once per template actually compiled. @default none */
  logger?: LoggerLike;
}

/** Options of one `compile()` call. */
export interface CompileOptions {
  /** Cancels the compile (a queued or running worker parse included). */
  signal?: AbortSignal;
  /**
   * Move top-level static `{{#section}}`s into the static prefix (after leading static text), so
   * the prefix sent first is as long as possible. @default false
   */
  hoistStaticSections?: boolean;
}

/** Every default of {@link TemplateCacheOptions} that is a value (the real clock is the default `clock`). */
export const DEFAULT_TEMPLATE_CACHE_OPTIONS = Object.freeze({
  ttlMs: TEMPLATE_TTL_MS,
  maxEntries: TEMPLATE_MAX_ENTRIES,
  memoMaxEntries: TEMPLATE_MEMO_MAX_ENTRIES,
  memoMaxBytes: TEMPLATE_MEMO_MAX_BYTES,
  workerThresholdChars: TEMPLATE_WORKER_THRESHOLD_CHARS,
  workerPoolSize: TEMPLATE_WORKER_POOL_SIZE,
} as const satisfies Required<Omit<TemplateCacheOptions, 'logger' | 'clock'>>);

/** zod schema of {@link TemplateCacheOptions}. */
export const templateCacheOptionsSchema = z
  .object({
    ttlMs: z.number().int().positive().default(DEFAULT_TEMPLATE_CACHE_OPTIONS.ttlMs),
    maxEntries: z.number().int().min(1).default(DEFAULT_TEMPLATE_CACHE_OPTIONS.maxEntries),
    memoMaxEntries: z.number().int().min(0).default(DEFAULT_TEMPLATE_CACHE_OPTIONS.memoMaxEntries),
    memoMaxBytes: z.number().int().min(0).default(DEFAULT_TEMPLATE_CACHE_OPTIONS.memoMaxBytes),
    workerThresholdChars: z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_TEMPLATE_CACHE_OPTIONS.workerThresholdChars),
    workerPoolSize: z.number().int().min(0).default(DEFAULT_TEMPLATE_CACHE_OPTIONS.workerPoolSize),
    clock: clockOption(systemClock),
    logger: loggerOption,
  })
  .strict();
