/**
 * A burst (issue #13): 500 concurrent streams of ~5 s each (100 tokens, 50 ms apart, 200 ms to the
 * first token) against a healthy fake in a child process. A streamed answer holds an HTTP/1.1
 * connection for its whole length, so the pool's connection cap is the number of answers that can
 * be generated at once: the default pool grows to the burst; the old cap of 20 is measured beside
 * it. Reports timeouts, breakers opened, connections opened, and the time to first token (p50,
 * p95, max) against the fake's own.
 *
 *   npx node --conditions=chatlane-source bench/burst.ts
 */
import { OpenRouterClient, type OpenRouterClientOptions } from 'chatlane';
import { startFakeChild } from './fake-child.ts';
import { scaled } from './scale.ts';

const STREAMS = scaled(500, 30);
const TOKENS = scaled(100, 5);
const TTFT_MS = 200;
const TOKEN_INTERVAL_MS = 50;
const reply = Array.from({ length: TOKENS }, (_, i) => `word${i}`).join(' ');
const messages = [{ role: 'user' as const, content: 'Tell me a story.' }];

/** What one burst measured. */
interface BurstResult {
  setting: string;
  streams: number;
  completed: number;
  errors: Record<string, number>;
  breakerOpens: number;
  connections: number;
  ttftP50Ms: number;
  ttftP95Ms: number;
  ttftMaxMs: number;
  wallMs: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function makeClient(baseUrl: string, options: Partial<OpenRouterClientOptions> = {}): OpenRouterClient {
  return new OpenRouterClient({ apiKey: 'bench', baseUrl, models: ['bench/burst'], ...options });
}

async function burst(client: OpenRouterClient, setting: string): Promise<BurstResult> {
  const connectionsBefore = client.getStats().connections;
  let breakerOpens = 0;
  client.on('breakerOpen', () => {
    breakerOpens += 1;
  });
  const errors: Record<string, number> = {};
  const ttfts: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      const callStart = performance.now();
      try {
        let first = true;
        for await (const item of client.stream({ messages })) {
          if (item.type === 'delta' && first) {
            first = false;
            ttfts.push(performance.now() - callStart);
          }
        }
      } catch (error) {
        const code = (error as { code?: string }).code ?? String(error);
        errors[code] = (errors[code] ?? 0) + 1;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const connections = client.getStats().connections - connectionsBefore;
  ttfts.sort((a, b) => a - b);
  const result: BurstResult = {
    setting,
    streams: STREAMS,
    completed: STREAMS - Object.values(errors).reduce((a, b) => a + b, 0),
    errors,
    breakerOpens,
    connections,
    ttftP50Ms: quantile(ttfts, 0.5),
    ttftP95Ms: quantile(ttfts, 0.95),
    ttftMaxMs: ttfts.at(-1) ?? Number.NaN,
    wallMs,
  };
  return result;
}

/** Runs the burst benchmark. */
export async function runBurstBench(): Promise<{ markdown: string; data: unknown }> {
  const { child, baseUrl } = await startFakeChild({
    defaultBehaviour: { reply, ttftMs: TTFT_MS, tokenIntervalMs: TOKEN_INTERVAL_MS },
  });
  try {
    const client = makeClient(baseUrl);
    const capped = makeClient(baseUrl, { maxConnections: 20 });
    const rows = [
      await burst(client, 'default options, cold pool'),
      await burst(client, 'default options, the same client again (warm pool)'),
      await burst(capped, 'maxConnections: 20 (the 0.1 default)'),
    ];
    await Promise.all([client.close(), capped.close()]);
    const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : ms.toFixed(0));
    const lines = [
      `${STREAMS} concurrent streams, ${TOKENS} tokens each at ${TOKEN_INTERVAL_MS} ms (≈ ${((TTFT_MS + TOKENS * TOKEN_INTERVAL_MS) / 1000).toFixed(1)} s), the fake's time to first token ${TTFT_MS} ms.`,
      '',
      '| setting | answered | errors | breakers opened | connections opened | TTFT p50 ms | TTFT p95 ms | TTFT max ms | burst took s |',
      '|---|---:|---|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.setting} | ${r.completed}/${r.streams} | ${
            Object.entries(r.errors)
              .map(([k, v]) => `${k} ×${v}`)
              .join(', ') || '0'
          } | ${r.breakerOpens} | ${r.connections} | ${fmt(r.ttftP50Ms)} | ${fmt(r.ttftP95Ms)} | ${fmt(r.ttftMaxMs)} | ${(r.wallMs / 1000).toFixed(1)} |`,
      ),
      '',
      `Goal: zero timeouts, no breaker opened, TTFT p95 close to the fake's ${TTFT_MS} ms.`,
    ];
    return { markdown: lines.join('\n'), data: rows };
  } finally {
    child.disconnect();
  }
}

if (import.meta.main) console.log((await runBurstBench()).markdown);
