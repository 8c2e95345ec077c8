/**
 * A time- and count-bounded rolling window of latency samples with fixed memory.
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
 */
export class RollingWindow {
  readonly capacity: number;
  readonly windowMs: number;
  readonly #values: Float64Array;
  readonly #times: Float64Array;
  readonly #scratch: Float64Array;
  #next = 0;
  #size = 0;

  constructor(capacity: number, windowMs: number) {
    this.capacity = capacity;
    this.windowMs = windowMs;
    this.#values = new Float64Array(capacity);
    this.#times = new Float64Array(capacity);
    this.#scratch = new Float64Array(capacity);
  }

  /** Adds one sample observed at `now` (ms); overwrites the oldest when full. */
  add(value: number, now: number): void {
    this.#values[this.#next] = value;
    this.#times[this.#next] = now;
    this.#next = this.#next + 1 === this.capacity ? 0 : this.#next + 1;
    if (this.#size < this.capacity) this.#size += 1;
  }

  /** Samples in the window at `now` (expired ones evicted first). */
  size(now: number): number {
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
  quantiles(qs: readonly number[], now: number): { count: number; values: number[] } | undefined {
    this.#evict(now);
    const count = this.#size;
    if (count === 0) return undefined;
    const sorted = this.#sortedView(count);
    const values = qs.map((q) => sorted[nearestRank(q, count)]!);
    return { count, values };
  }

  /** Empties the window. */
  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }

  #evict(now: number): void {
    const cutoff = now - this.windowMs;
    let oldest = this.#oldestIndex();
    while (this.#size > 0 && this.#times[oldest]! <= cutoff) {
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

/** Index of the nearest-rank `q`-quantile in a sorted array of `count` values. */
export function nearestRank(q: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
}
