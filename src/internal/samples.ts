/**
 * The one rolling sample window of chatlane: bounded by count and (optionally) by time.
 *
 * Two preallocated `Float64Array` rings (values and timestamps) hold at most `capacity` samples;
 * samples older than `windowMs` are evicted lazily when the window is read. A third array is the
 * scratch space for sorting, so reading percentiles allocates nothing. Memory is
 * `3 × 8 × capacity` bytes whatever the traffic.
 *
 * Error bound: quantiles are exact (nearest-rank) over the samples the window holds. The window
 * holds every sample of the last `windowMs`, except when more than `capacity` samples arrive in
 * that time: then it holds the most recent `capacity` of them, so the quantile is exact over the
 * last `capacity` samples (a recency sample, never an interpolation or bucket approximation).
 *
 * `now` (ms, any monotonic clock) matters only for a time-bounded window; a count-only window
 * (`windowMs` = `Infinity`, the default) can omit it.
 */

/** p50/p95/p99 of a window of latency samples (ms), with the number of samples they cover. */
export interface PercentileSummary {
  /** Median, ms (nearest rank). */
  p50: number;
  /** 95th percentile, ms (nearest rank). */
  p95: number;
  /** 99th percentile, ms (nearest rank). */
  p99: number;
  /** Samples the percentiles were computed over. */
  count: number;
}

/** The quantiles of a {@link PercentileSummary}, in its field order. */
const SUMMARY_QUANTILES: readonly number[] = [0.5, 0.95, 0.99];

/** A time- and count-bounded rolling window of numeric samples with fixed memory. */
export class RollingWindow {
  readonly capacity: number;
  readonly windowMs: number;
  readonly #values: Float64Array;
  readonly #times: Float64Array;
  readonly #scratch: Float64Array;
  #next = 0;
  #size = 0;

  /** `capacity` samples at most; samples older than `windowMs` (default: never) are evicted. */
  constructor(capacity: number, windowMs = Number.POSITIVE_INFINITY) {
    this.capacity = capacity;
    this.windowMs = windowMs;
    this.#values = new Float64Array(capacity);
    this.#times = new Float64Array(capacity);
    this.#scratch = new Float64Array(capacity);
  }

  /** Adds one sample observed at `now` (ms); overwrites the oldest when full. */
  add(value: number, now = 0): void {
    this.#values[this.#next] = value;
    this.#times[this.#next] = now;
    this.#next = this.#next + 1 === this.capacity ? 0 : this.#next + 1;
    if (this.#size < this.capacity) this.#size += 1;
  }

  /** Samples in the window at `now` (expired ones evicted first). */
  size(now = 0): number {
    this.#evict(now);
    return this.#size;
  }

  /** Bytes held by the window's arrays: constant for the window's lifetime. */
  get byteLength(): number {
    return this.#values.byteLength + this.#times.byteLength + this.#scratch.byteLength;
  }

  /**
   * Nearest-rank quantiles (`q` in [0, 1]) over the window at `now`, in the order asked, with one
   * sort; `undefined` when the window is empty.
   */
  quantiles(qs: readonly number[], now = 0): { count: number; values: number[] } | undefined {
    this.#evict(now);
    const count = this.#size;
    if (count === 0) return undefined;
    const sorted = this.#sortedView(count);
    const values = qs.map((q) => sorted[nearestRank(q, count)] as number);
    return { count, values };
  }

  /** p50/p95/p99 and count over the window at `now`, with one sort; `undefined` when empty. */
  summary(now = 0): PercentileSummary | undefined {
    const result = this.quantiles(SUMMARY_QUANTILES, now);
    if (!result) return undefined;
    const [p50 = 0, p95 = 0, p99 = 0] = result.values;
    return { p50, p95, p99, count: result.count };
  }

  /** Empties the window. */
  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }

  #evict(now: number): void {
    const cutoff = now - this.windowMs;
    let oldest = this.#oldestIndex();
    while (this.#size > 0 && (this.#times[oldest] as number) <= cutoff) {
      this.#size -= 1;
      oldest = oldest + 1 === this.capacity ? 0 : oldest + 1;
    }
  }

  #oldestIndex(): number {
    const index = this.#next - this.#size;
    return index < 0 ? index + this.capacity : index;
  }

  #sortedView(count: number): Float64Array {
    const oldest = this.#oldestIndex();
    const firstRun = Math.min(count, this.capacity - oldest);
    this.#scratch.set(this.#values.subarray(oldest, oldest + firstRun), 0);
    if (firstRun < count) this.#scratch.set(this.#values.subarray(0, count - firstRun), firstRun);
    return this.#scratch.subarray(0, count).sort();
  }
}

/** Index of the nearest-rank `q`-quantile (`q` in [0, 1]) in a sorted array of `count` values. */
export function nearestRank(q: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
}
