/**
 * LLM client overhead benchmark: `OpenRouterClient.chat` against what bot authors use instead —
 * the official `@openrouter/sdk`, Vercel `ai` with `@openrouter/ai-sdk-provider`, the `openai` SDK,
 * plain `fetch` and raw `undici.request` — on the fake OpenRouter at 0 ms latency, concurrency 1
 * and 20, interleaved rounds, medians. A second table measures hedging on a model with a slow tail.
 *
 *   npx node --conditions=chatlane-source --expose-gc bench/client.ts
 */

import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import { OpenRouter } from '@openrouter/sdk';
import { generateText } from 'ai';
import { OpenRouterClient } from 'chatlane';
import OpenAI from 'openai';
import { request as undiciRequest } from 'undici';
import { startFakeChild } from './fake-child.ts';
import { type Contender, compare, type Measured } from './harness.ts';
import { scaled } from './scale.ts';

const MODEL = 'bench/model';
const TAIL_MODEL = 'bench/slow-tail';
const REQUESTS = { 1: scaled(400, 20), 20: scaled(2_000, 40) };
const TAIL_REQUESTS = scaled(400, 20);
const TAIL_CONCURRENCY = 4;
const TAIL_SLOW_RATIO = 0.04;
const TAIL_SLOW_MS = 250;
const SYSTEM = 'You are a helpful Discord bot.';
const USER = { role: 'user' as const, content: 'Hello there, how are you today?' };
const messages = [{ role: 'system' as const, content: SYSTEM }, USER];

/** Every client doing the same call: one non-streamed completion, its text read. */
export function chatContenders(baseUrl: string): Contender[] {
  const url = `${baseUrl}/chat/completions`;
  const headers = { authorization: 'Bearer bench', 'content-type': 'application/json' };
  const body = JSON.stringify({ model: MODEL, messages });
  const chatlane = new OpenRouterClient({ apiKey: 'bench', baseUrl, models: [MODEL] });
  const sdk = new OpenRouter({ apiKey: 'bench', serverURL: baseUrl, retryConfig: { strategy: 'none' } });
  const provider = createOpenRouter({ apiKey: 'bench', baseURL: baseUrl });
  const openai = new OpenAI({ apiKey: 'bench', baseURL: baseUrl, maxRetries: 0 });
  return [
    {
      name: 'chatlane OpenRouterClient.chat',
      call: () => chatlane.chat({ messages }),
      close: () => chatlane.close(),
    },
    {
      name: '@openrouter/sdk',
      call: () => sdk.chat.send({ chatRequest: { model: MODEL, messages, stream: false } }),
    },
    {
      name: 'Vercel ai + provider',
      // ai takes the system message as `instructions`.
      call: () =>
        generateText({ model: provider.chat(MODEL), instructions: SYSTEM, messages: [USER], maxRetries: 0 }),
    },
    { name: 'openai SDK', call: () => openai.chat.completions.create({ model: MODEL, messages }) },
    { name: 'fetch', call: async () => (await fetch(url, { method: 'POST', headers, body })).json() },
    {
      name: 'undici.request (raw)',
      call: async () => (await undiciRequest(url, { method: 'POST', headers, body })).body.json(),
    },
  ];
}

async function tailRun(baseUrl: string, hedge: boolean): Promise<{ latencies: number[]; hedges: number }> {
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
  const { hedges } = client.getStats();
  await client.close();
  return { latencies: latencies.sort((a, b) => a - b), hedges };
}

async function hedgeTable(baseUrl: string): Promise<{ markdown: string; data: unknown[] }> {
  const lines = [
    `| hedging (${(TAIL_SLOW_RATIO * 100).toFixed(0)} % of answers +${TAIL_SLOW_MS} ms) | p50 ms | p95 ms | p99 ms | max ms | hedges |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  const data = [];
  for (const hedge of [false, true]) {
    const { latencies, hedges } = await tailRun(baseUrl, hedge);
    const at = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
    const row = { hedge, p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), maxMs: at(100), hedges };
    data.push(row);
    const label = hedge ? 'on (delay = observed p95)' : 'off';
    lines.push(
      `| ${label} | ${row.p50Ms.toFixed(1)} | ${row.p95Ms.toFixed(1)} | ${row.p99Ms.toFixed(1)} | ${row.maxMs.toFixed(1)} | ${hedges} |`,
    );
  }
  return { markdown: lines.join('\n'), data };
}

/** CPU per request of chatlane ÷ raw undici at each concurrency (the goal: ≤ 1.1×). */
function cpuVersusRaw(data: Measured[]): Record<number, number> {
  const at = (client: string, c: number) =>
    data.find((d) => d.client.startsWith(client) && d.concurrency === c)!;
  return Object.fromEntries(
    [1, 20].map((c) => [c, at('chatlane', c).cpuMicrosPerRequest / at('undici', c).cpuMicrosPerRequest]),
  );
}

/** Runs the client benchmark: the overhead table, then hedging. */
export async function runClientBench(): Promise<{ markdown: string; data: unknown }> {
  const { child, baseUrl } = await startFakeChild({
    scripts: {
      [TAIL_MODEL]: { failureRatio: TAIL_SLOW_RATIO, seed: 7, failure: { latencyMs: TAIL_SLOW_MS } },
    },
  });
  try {
    const overhead = await compare(chatContenders(baseUrl), REQUESTS);
    const tail = await hedgeTable(baseUrl);
    const ratio = cpuVersusRaw(overhead.data);
    const goal = `chatlane chat CPU ÷ raw undici: ${ratio[1]!.toFixed(2)}× (c=1), ${ratio[20]!.toFixed(2)}× (c=20); goal ≤ 1.10×.`;
    return {
      markdown: `${overhead.markdown}\n\n${goal}\n\n${tail.markdown}\n`,
      data: { chat: overhead.data, cpuVersusRaw: ratio, hedging: tail.data },
    };
  } finally {
    child.disconnect();
  }
}

if (import.meta.main) console.log((await runClientBench()).markdown);
