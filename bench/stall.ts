/**
 * A stalled primary (issue #13): the model accepts the request and sends no token. Time from the
 * call to its first token (what the user waits before seeing text), default options, against the
 * fixed 15 s first-token deadline (`adaptiveFirstToken: false`). Both models answer with a 100 ms
 * time to first token while healthy; the primary has 20 answers (enough for its observed p95)
 * before it stalls.
 *
 *   npx node --conditions=chatlane-source bench/stall.ts
 */
import { OpenRouterClient, type OpenRouterClientOptions } from 'chatlane';
import { FakeOpenRouter } from 'chatlane/testing';
import { SMOKE, scaled } from './scale.ts';

const TTFT_MS = 100;
const WARM_UP = 20;
const STALLED_CALLS = scaled(3, 1);
const messages = [{ role: 'user' as const, content: 'hi' }];

/** Time to the first delta of one stream call, ms, and the model that answered. */
async function firstToken(client: OpenRouterClient): Promise<{ ms: number; model: string }> {
  const started = performance.now();
  let first: { ms: number; model: string } | undefined;
  for await (const item of client.stream({ messages })) {
    if (item.type === 'delta' && first === undefined)
      first = { ms: performance.now() - started, model: item.model };
  }
  if (!first) throw new Error('no token');
  return first;
}

async function run(
  options: Partial<OpenRouterClientOptions>,
  calls: number,
): Promise<Array<{ ms: number; model: string }>> {
  const fake = await FakeOpenRouter.start({ defaultBehaviour: { ttftMs: TTFT_MS, reply: 'Hello there.' } });
  const client = new OpenRouterClient({
    apiKey: 'k',
    baseUrl: fake.baseUrl,
    models: ['primary', 'fallback'],
    ...options,
  });
  try {
    for (let i = 0; i < WARM_UP; i += 1) await firstToken(client);
    fake.script('primary', { stall: { afterTokens: 0, commentEveryMs: 1_000 } });
    const results = [];
    for (let i = 0; i < calls; i += 1) results.push(await firstToken(client));
    return results;
  } finally {
    await client.close();
    await fake.close();
  }
}

/** Runs the stall benchmark. */
export async function runStallBench(): Promise<{ markdown: string; data: unknown }> {
  const adaptive = await run({}, STALLED_CALLS);
  // The fixed deadline is 15 s; a smoke run shortens it so CI stays fast.
  const fixed = await run(
    { adaptiveFirstToken: false, ...(SMOKE ? { streamFirstTokenTimeoutMs: 300 } : {}) },
    1,
  );
  const rows = [
    ...adaptive.map((r, i) => ({ setting: 'default (adaptive deadline)', call: i + 1, ...r })),
    ...fixed.map((r, i) => ({ setting: 'adaptiveFirstToken: false (fixed 15 s)', call: i + 1, ...r })),
  ];
  const lines = [
    `Healthy time to first token ${TTFT_MS} ms; the primary stalls after ${WARM_UP} answers (keep-alive comments every second).`,
    '',
    '| setting | call after the stall | time to first token ms | answered by |',
    '|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.setting} | ${r.call} | ${r.ms.toFixed(0)} | ${r.model} |`),
    '',
    'Call 1 waits for the deadline (2 s floor, as 3 × the p95 of 100 ms is lower), then the fallback answers; the stall is not retried on the primary. After two stalled calls the breaker opens and later calls go straight to the fallback. Before this change a stall was also retried twice on the primary: up to 3 × 15 s.',
  ];
  return { markdown: lines.join('\n'), data: rows };
}

if (import.meta.main) console.log((await runStallBench()).markdown);
