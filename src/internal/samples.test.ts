import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/random.ts';
import { nearestRank, RollingWindow } from './samples.ts';

const QS = [0.5, 0.95, 0.99];

/** Exact nearest-rank quantiles of `values` by a full sort: the reference. */
function exact(values: readonly number[], qs: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return qs.map((q) => sorted[nearestRank(q, sorted.length)]!);
}

/** Log-normal-ish latencies: most around `median`, a long tail. */
function latency(random: () => number, median: number): number {
  const u = Math.max(random(), Number.EPSILON);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(0.6 * normal);
}

describe('RollingWindow', () => {
  it('matches exact percentiles of the last `capacity` samples on seeded random data (error bound 0)', () => {
    for (const seed of [1, 2, 3, 42]) {
      const random = seededRandom(seed);
      const window = new RollingWindow(1_000, Number.POSITIVE_INFINITY);
      const all: number[] = [];
      const total = 2_537; // wraps the ring twice, not at a boundary
      for (let i = 0; i < total; i += 1) {
        const value = latency(random, 800);
        all.push(value);
        window.add(value, i);
      }
      const got = window.quantiles(QS, total);
      expect(got?.count).toBe(1_000);
      expect(got?.values).toEqual(exact(all.slice(-1_000), QS));
    }
  });

  it('is exact while the window is not full, including tiny windows', () => {
    const window = new RollingWindow(100, 10_000);
    window.add(5, 0);
    expect(window.quantiles(QS, 0)?.values).toEqual([5, 5, 5]);
    for (const v of [1, 9, 3, 7]) window.add(v, 1);
    expect(window.quantiles(QS, 1)?.values).toEqual(exact([5, 1, 9, 3, 7], QS));
  });

  it('evicts samples older than windowMs', () => {
    const window = new RollingWindow(100, 1_000);
    for (let t = 0; t < 10; t += 1) window.add(t * 100, t * 100);
    expect(window.size(900)).toBe(10);
    expect(window.size(1_000)).toBe(9); // the sample at t=0 is exactly windowMs old
    expect(window.quantiles([0], 1_450)?.values).toEqual([500]);
    expect(window.size(5_000)).toBe(0);
    expect(window.quantiles(QS, 5_000)).toBeUndefined();
    window.add(1, 5_000);
    expect(window.quantiles(QS, 5_000)?.values).toEqual([1, 1, 1]);
  });

  it('keeps constant memory over one million samples', () => {
    const window = new RollingWindow(1_000, 60_000);
    const before = window.byteLength;
    const random = seededRandom(7);
    for (let i = 0; i < 1_000_000; i += 1) window.add(random() * 3_000, i);
    expect(window.byteLength).toBe(before);
    expect(window.byteLength).toBe(3 * 8 * 1_000);
    expect(window.size(1_000_000)).toBe(1_000);
  });

  it('clear() empties it', () => {
    const window = new RollingWindow(10, 1_000);
    window.add(1, 0);
    window.clear();
    expect(window.size(0)).toBe(0);
  });

  it('summary() gives p50/p95/p99 and count in one shape; undefined when empty', () => {
    const window = new RollingWindow(100);
    expect(window.summary()).toBeUndefined();
    for (let v = 1; v <= 100; v += 1) window.add(v);
    expect(window.summary()).toEqual({ p50: 50, p95: 95, p99: 99, count: 100 });
  });

  it('is count-bounded only when no `windowMs` is given (no time needed)', () => {
    const window = new RollingWindow(3);
    for (const v of [1, 2, 3, 4]) window.add(v);
    expect(window.size()).toBe(3);
    expect(window.summary()).toEqual({ p50: 3, p95: 4, p99: 4, count: 3 });
  });

  it('summary() respects the time bound', () => {
    const window = new RollingWindow(10, 1_000);
    window.add(900, 0);
    window.add(10, 800);
    expect(window.summary(1_500)).toEqual({ p50: 10, p95: 10, p99: 10, count: 1 });
  });
});
