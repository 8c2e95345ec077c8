/**
 * FastPathRouter microbenchmark: decisions per second and CPU per decision for typical messages,
 * a huge message, and with an instant async classifier.
 *
 * Run alone: `npx node --conditions=chatlane-source bench/router.ts`
 */
import { pathToFileURL } from 'node:url';
import { FastPathRouter, type RouteMessage } from 'chatlane';
import { scaled } from './scale.ts';

interface Row {
  name: string;
  ops: number;
  cpuUs: number;
}

async function measure(name: string, fn: (i: number) => Promise<unknown>, ms = scaled(400, 5)): Promise<Row> {
  for (let i = 0; i < scaled(2_000, 10); i += 1) await fn(i);
  const cpu = process.cpuUsage();
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < 100; i += 1) await fn(ops + i);
    ops += 100;
  }
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { name, ops: (ops / elapsed) * 1_000, cpuUs: (used.user + used.system) / ops };
}

const MIX: RouteMessage[] = [
  { text: 'hey! 👋', isDM: true },
  { text: 'can you recommend a good sci-fi book for a long flight?', isDM: true },
  { text: 'what is the latest LTS version of Node.js and when does it end?', isDM: false, guildId: 'g' },
  { text: 'why does this fail?\n```ts\nconst x: number = "1";\n```', isDM: true },
  { text: 'check this out', isDM: false, guildId: 'g', hasAttachments: true },
  { text: 'lorem ipsum dolor sit amet '.repeat(20), isDM: true },
];

/** Runs the FastPathRouter benchmark and returns it as a markdown table. */
export async function runRouterBench(): Promise<string> {
  const router = new FastPathRouter();
  const withClassifier = new FastPathRouter({
    classify: async (m) => (m.text.length > 100 ? 'complex' : 'simple'),
  });
  const huge: RouteMessage = { text: `${'x'.repeat(100_000)} what is this?`, isDM: true };
  const rows = [
    await measure('route: DM short text (fast path)', () => router.route(MIX[1]!)),
    await measure('route: typical mix of 6 messages', (i) => router.route(MIX[i % MIX.length]!)),
    await measure('route: 100 K-char message (scan capped)', () => router.route(huge), 300),
    await measure('route: with instant async classifier', (i) => withClassifier.route(MIX[i % MIX.length]!)),
  ];
  const stats = router.getStats();
  return [
    '### FastPathRouter',
    '',
    '| case | ops/s | CPU µs/op |',
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${Math.round(r.ops).toLocaleString('en')} | ${r.cpuUs.toFixed(2)} |`),
    '',
    `Decision time p50 ${stats.decisionMs?.p50.toFixed(4)} ms, p95 ${stats.decisionMs?.p95.toFixed(4)} ms; DM fast-path rate on the mix ${(stats.dmFastPathRate * 100).toFixed(0)}%.`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runRouterBench());
}
