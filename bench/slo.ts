/**
 * SloMonitor micro-benchmark: the cost of `record()` (on every message's hot path) and of the
 * read side (`evaluate()`, `toPrometheus()`, `renderDashboard()`) with full windows.
 *
 * Run alone: `npx node --conditions=chatlane-source bench/slo.ts`.
 */
import { pathToFileURL } from 'node:url';
import { PHASES, SloMonitor } from 'chatlane';
import { seededRandom } from 'chatlane/testing';
import { scaled } from './scale.ts';

const RECORDS = scaled(2_000_000, 1_000);
const READS = scaled(300, 3);
const NS_PER_US = 1_000;

function elapsedNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

function timeEach(iterations: number, action: () => void): number {
  for (let i = 0; i < Math.min(iterations, 50); i += 1) action(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) action();
  return elapsedNs(start) / iterations;
}

/** Runs the benchmark and returns a short report, one measurement per line. */
export async function runSloBench(): Promise<string> {
  const monitor = new SloMonitor({ evaluateEveryMs: 0 });
  const phases = Object.values(PHASES);
  const random = seededRandom(1);
  const values = Float64Array.from({ length: 4_096 }, () => 50 + random() * 2_000);
  let i = 0;
  const recordNs = timeEach(RECORDS, () => {
    monitor.record(phases[i % phases.length]!, values[i & 4_095]!);
    i += 1;
  });
  const evaluateNs = timeEach(READS, () => monitor.evaluate());
  const prometheusNs = timeEach(READS, () => monitor.toPrometheus());
  const dashboardNs = timeEach(READS, () => monitor.renderDashboard({ color: false }));
  const bytes = Buffer.byteLength(monitor.toPrometheus());
  await monitor.close();
  const us = (ns: number) => (ns / NS_PER_US).toFixed(1);
  return [
    `SloMonitor (${phases.length} phases, full ${monitor.getCurrentSloStatus().phases.llm?.samples}-sample windows)`,
    `  record()            ${recordNs.toFixed(1)} ns/op`,
    `  evaluate()          ${us(evaluateNs)} µs/op`,
    `  toPrometheus()      ${us(prometheusNs)} µs/op (${bytes} bytes)`,
    `  renderDashboard()   ${us(dashboardNs)} µs/op`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runSloBench());
}
