/**
 * `BENCH_SMOKE=1` (`npm run bench:smoke`) runs every suite with tiny counts, in seconds, so CI
 * proves the benches still run; the numbers it prints mean nothing. Suites take their counts here.
 */
export const SMOKE = process.env.BENCH_SMOKE === '1';

/** `full` in a real run, `smoke` (default 1) in a smoke run. */
export function scaled(full: number, smoke = 1): number {
  return SMOKE ? smoke : full;
}
