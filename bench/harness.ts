/** Side-by-side client measurements: interleaved rounds, medians, one markdown table and its data. */
import { scaled } from './scale.ts';

/** One client under test. */
export interface Contender {
  name: string;
  call: () => Promise<unknown>;
  close?: () => Promise<void>;
}

/** One measured cell: a client at a concurrency. */
export interface Measured {
  client: string;
  concurrency: number;
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  p99Ms: number;
}

/** Runs `total` calls, `concurrency` at a time; CPU is this process's (the fake runs elsewhere). */
async function runBatch(
  call: () => Promise<unknown>,
  total: number,
  concurrency: number,
): Promise<Omit<Measured, 'client' | 'concurrency'>> {
  (globalThis as { gc?: () => void }).gc?.();
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next += 1;
      const started = performance.now();
      await call();
      latencies.push(performance.now() - started);
    }
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1_000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: total / seconds,
    cpuMicrosPerRequest: (used.user + used.system) / total,
    p99Ms: latencies[Math.min(latencies.length - 1, Math.ceil(0.99 * latencies.length) - 1)] ?? 0,
  };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * Measures every contender at concurrency 1 and 20 in interleaved rounds (the order rotates each
 * round); medians per cell. The first contender is chatlane: the ratio columns compare it.
 */
export async function compare(
  all: Contender[],
  requests: { 1: number; 20: number },
  rounds = scaled(5),
): Promise<{ markdown: string; data: Measured[] }> {
  const samples = new Map<string, Array<Omit<Measured, 'client' | 'concurrency'>>>();
  for (const c of all) for (const conc of [1, 20]) await runBatch(c.call, scaled(200, 5), conc); // warm-up
  for (let round = 0; round < rounds; round += 1) {
    for (const conc of [1, 20] as const) {
      for (const c of all.map((_, i) => all[(i + round) % all.length]!)) {
        const key = `${c.name}|${conc}`;
        samples.set(key, [...(samples.get(key) ?? []), await runBatch(c.call, requests[conc], conc)]);
      }
    }
  }
  await Promise.all(all.map((c) => c.close?.()));
  const data: Measured[] = [];
  for (const concurrency of [1, 20]) {
    for (const c of all) {
      const cell = samples.get(`${c.name}|${concurrency}`)!;
      data.push({
        client: c.name,
        concurrency,
        requestsPerSecond: median(cell.map((s) => s.requestsPerSecond)),
        cpuMicrosPerRequest: median(cell.map((s) => s.cpuMicrosPerRequest)),
        p99Ms: median(cell.map((s) => s.p99Ms)),
      });
    }
  }
  return { markdown: table(data, rounds), data };
}

function table(data: Measured[], rounds: number): string {
  const lines = [
    `Medians of ${rounds} interleaved rounds; the fake runs in a child process, so CPU is the client's own.`,
    '',
    '| client | concurrency | req/s | client CPU µs/req | p99 ms | chatlane req/s ÷ this | chatlane CPU ÷ this |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of data) {
    const ours = data.find((d) => d.concurrency === row.concurrency)!;
    lines.push(
      `| ${row.client} | ${row.concurrency} | ${row.requestsPerSecond.toFixed(0)} | ${row.cpuMicrosPerRequest.toFixed(1)} | ${row.p99Ms.toFixed(2)} | ${(ours.requestsPerSecond / row.requestsPerSecond).toFixed(2)}× | ${(ours.cpuMicrosPerRequest / row.cpuMicrosPerRequest).toFixed(2)}× |`,
    );
  }
  return lines.join('\n');
}
