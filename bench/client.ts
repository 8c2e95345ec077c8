/**
 * LLM client overhead benchmark: `OpenRouterClient.chat` vs the `openai` SDK, plain `fetch` and
 * raw `undici.request`, against the fake OpenRouter at 0 ms latency, concurrency 1 and 20,
 * interleaved rounds, medians. The fake runs in a child process, so `process.cpuUsage()` here is
 * the client's CPU only. A second table measures hedging on a model with a slow tail.
 *
 *   npx node --conditions=chatlane-source --expose-gc bench/client.ts
 */
import { type ChildProcess, fork } from 'node:child_process';
import { OpenRouterClient } from 'chatlane';
import { FakeOpenRouter } from 'chatlane/testing';
import OpenAI from 'openai';
import { request as undiciRequest } from 'undici';

const MODEL = 'bench/model';
const TAIL_MODEL = 'bench/slow-tail';
const ROUNDS = 5;
const REQUESTS = { 1: 400, 20: 2_000 } as const;
const TAIL_REQUESTS = 400;
const TAIL_CONCURRENCY = 4;
const TAIL_SLOW_RATIO = 0.04;
const TAIL_SLOW_MS = 250;
const messages = [
  { role: 'system' as const, content: 'You are a helpful Discord bot.' },
  { role: 'user' as const, content: 'Hello there, how are you today?' },
];

type Call = () => Promise<unknown>;
interface Contender {
  name: string;
  call: Call;
  close(): Promise<void>;
}

function contenders(baseUrl: string): Contender[] {
  const url = `${baseUrl}/chat/completions`;
  const headers = { authorization: 'Bearer bench', 'content-type': 'application/json' };
  const body = JSON.stringify({ model: MODEL, messages });
  const chatlane = new OpenRouterClient({ apiKey: 'bench', baseUrl, models: [MODEL] });
  const openai = new OpenAI({ apiKey: 'bench', baseURL: baseUrl, maxRetries: 0 });
  return [
    {
      name: 'chatlane OpenRouterClient.chat',
      call: () => chatlane.chat({ messages }),
      close: () => chatlane.close(),
    },
    {
      name: 'openai SDK',
      call: () => openai.chat.completions.create({ model: MODEL, messages }),
      close: async () => {},
    },
    {
      name: 'fetch',
      call: async () => (await fetch(url, { method: 'POST', headers, body })).json(),
      close: async () => {},
    },
    {
      name: 'undici.request (raw)',
      call: async () => (await undiciRequest(url, { method: 'POST', headers, body })).body.json(),
      close: async () => {},
    },
  ];
}

async function runBatch(
  call: Call,
  total: number,
  concurrency: number,
): Promise<{ rps: number; cpuUs: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next += 1;
      await call();
    }
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1_000;
  const used = process.cpuUsage(cpu);
  return { rps: total / seconds, cpuUs: (used.user + used.system) / total };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function overheadTable(baseUrl: string): Promise<string> {
  const all = contenders(baseUrl);
  const samples = new Map<string, { rps: number[]; cpu: number[] }>();
  for (const c of all) for (const conc of [1, 20]) await runBatch(c.call, 200, conc); // warm-up
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const conc of [1, 20] as const) {
      const order = all.map((_, i) => all[(i + round) % all.length]!);
      for (const c of order) {
        const result = await runBatch(c.call, REQUESTS[conc], conc);
        const key = `${c.name}|${conc}`;
        const entry = samples.get(key) ?? { rps: [], cpu: [] };
        entry.rps.push(result.rps);
        entry.cpu.push(result.cpuUs);
        samples.set(key, entry);
      }
    }
  }
  await Promise.all(all.map((c) => c.close()));
  const med = (name: string, conc: number) => {
    const entry = samples.get(`${name}|${conc}`)!;
    return { rps: median(entry.rps), cpu: median(entry.cpu) };
  };
  const lines = [
    '| client | concurrency | req/s (median) | client CPU µs/req | chatlane ÷ this (req/s) | chatlane CPU ÷ this |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const conc of [1, 20]) {
    const ours = med(all[0]!.name, conc);
    for (const c of all) {
      const m = med(c.name, conc);
      lines.push(
        `| ${c.name} | ${conc} | ${m.rps.toFixed(0)} | ${m.cpu.toFixed(1)} | ${(ours.rps / m.rps).toFixed(2)}× | ${(ours.cpu / m.cpu).toFixed(2)}× |`,
      );
    }
  }
  return lines.join('\n');
}

async function tailRun(baseUrl: string, hedge: boolean): Promise<number[]> {
  const client = new OpenRouterClient({ apiKey: 'bench', baseUrl, models: [TAIL_MODEL, MODEL], hedge });
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < TAIL_REQUESTS) {
      next += 1;
      latencies.push((await client.chat({ messages })).latencyMs);
    }
  };
  await Promise.all(Array.from({ length: TAIL_CONCURRENCY }, worker));
  const stats = client.getStats();
  await client.close();
  return [...latencies.sort((a, b) => a - b), stats.hedges];
}

async function hedgeTable(baseUrl: string): Promise<string> {
  const lines = [
    `| hedging (${(TAIL_SLOW_RATIO * 100).toFixed(0)} % of answers +${TAIL_SLOW_MS} ms) | p50 ms | p95 ms | p99 ms | max ms | hedges |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const hedge of [false, true]) {
    const result = await tailRun(baseUrl, hedge);
    const hedges = result.pop()!;
    const at = (p: number) => result[Math.min(result.length - 1, Math.ceil((p / 100) * result.length) - 1)]!;
    const label = hedge ? 'on (delay = observed p95)' : 'off';
    lines.push(
      `| ${label} | ${at(50).toFixed(1)} | ${at(95).toFixed(1)} | ${at(99).toFixed(1)} | ${at(100).toFixed(1)} | ${hedges} |`,
    );
  }
  return lines.join('\n');
}

function startChild(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = fork(new URL(import.meta.url).pathname, ['--fake-child'], {
    execArgv: ['--conditions=chatlane-source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, baseUrl: (message as { baseUrl: string }).baseUrl }));
    child.once('error', reject);
  });
}

async function serveFake(): Promise<void> {
  const fake = await FakeOpenRouter.start({ record: false });
  fake.script(TAIL_MODEL, { failureRatio: TAIL_SLOW_RATIO, seed: 7, failure: { latencyMs: TAIL_SLOW_MS } });
  process.send?.({ baseUrl: fake.baseUrl });
  process.once('disconnect', () => void fake.close());
}

/** Runs the client benchmark; resolves with two markdown tables (overhead, hedging). */
export async function runClientBench(): Promise<string> {
  const { child, baseUrl } = await startChild();
  try {
    const overhead = await overheadTable(baseUrl);
    const tail = await hedgeTable(baseUrl);
    const header = `Node ${process.version}, fake OpenRouter in a child process at 0 ms latency; medians of ${ROUNDS} interleaved rounds.`;
    return `${header}\n\n${overhead}\n\n${tail}\n`;
  } finally {
    child.disconnect();
  }
}

if (process.argv.includes('--fake-child')) {
  await serveFake();
} else if (import.meta.main) {
  console.log(await runClientBench());
}
