const PERCENT = 100;

/** Index of the nearest-rank `p`-th percentile (`p` in [0, 100]) in a sorted array of `size` values. */
function nearestRank(p: number, size: number): number {
  return Math.min(size - 1, Math.max(0, Math.ceil((p / PERCENT) * size) - 1));
}

/**
 * A fixed-size ring of recent numeric samples with exact percentiles over what it holds.
 * Memory is bounded by `capacity`, whatever the traffic.
 */
export class SampleWindow {
  readonly #values: Float64Array;
  #next = 0;
  #size = 0;

  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#values = new Float64Array(capacity);
  }

  add(value: number): void {
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size += 1;
  }

  get size(): number {
    return this.#size;
  }

  /** Nearest-rank percentile, `p` in [0, 100]; `undefined` when empty. */
  percentile(p: number): number | undefined {
    if (this.#size === 0) return undefined;
    return this.#values.slice(0, this.#size).sort()[nearestRank(p, this.#size)];
  }

  /** p50/p95/p99 in one sort. */
  summary(): { p50: number; p95: number; p99: number; count: number } | undefined {
    if (this.#size === 0) return undefined;
    const sorted = this.#values.slice(0, this.#size).sort();
    const at = (p: number) => sorted[nearestRank(p, this.#size)]!;
    return { p50: at(50), p95: at(95), p99: at(99), count: this.#size };
  }

  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }
}
