/** Defaults of TemplateCache (re-exported by `src/constants.ts`). */

/** A compiled template lives this long (5 minutes). */
export const TEMPLATE_TTL_MS = 5 * 60_000;
/** Compiled templates kept at most (LRU). */
export const TEMPLATE_MAX_ENTRIES = 500;
/** Memoized deterministic-section renders kept at most (LRU). */
export const TEMPLATE_MEMO_MAX_ENTRIES = 2_000;
/** Templates this long compile on a worker thread: the measured break-even (docs/template-cache.md). */
export const TEMPLATE_WORKER_THRESHOLD_CHARS = 64 * 1024;
/** Worker threads in the compile pool at most. */
export const TEMPLATE_WORKER_POOL_SIZE = 2;
/** Compile-time samples kept for p50/p95. */
export const TEMPLATE_STATS_WINDOW = 1_024;

// Memo byte bound

/**
 * Memoized section renders are bounded by size as well as count: key plus text, counted as UTF-16
 * code units × 2, at most this many bytes (LRU evicted beyond); a single larger render is not kept.
 */
export const TEMPLATE_MEMO_MAX_BYTES = 8 * 1024 * 1024;
