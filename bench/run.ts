/**
 * `npm run bench` — every benchmark of chatlane in one run, side by side, printed as markdown and
 * written to `bench/results/latest.md` and `bench/results/latest.json` (with the machine and Node
 * version). `npm run bench -- client slo` runs only the named suites (printed, not written);
 * `npm run bench:smoke` runs every suite with tiny counts (`BENCH_SMOKE=1`), so CI proves they run.
 *
 * Timings are measured here, never asserted in tests: the machine is shared and noisy, so each
 * suite reports medians of interleaved rounds where it compares alternatives.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { SMOKE } from './scale.ts';

/** What a suite returns: its markdown, and optionally its numbers for `latest.json`. */
export type SuiteResult = string | { markdown: string; data: unknown };

const suites: Record<string, { title: string; run: () => Promise<SuiteResult> }> = {
  'before-after': {
    title: 'Before/after: a bot written the usual way against the chatlane reference pipeline',
    run: async () => (await import('./before-after.ts')).runBeforeAfterBench(),
  },
  client: {
    title: 'OpenRouterClient.chat vs @openrouter/sdk, Vercel ai, the openai SDK, fetch and raw undici',
    run: async () => (await import('./client.ts')).runClientBench(),
  },
  stream: {
    title: 'OpenRouterClient.stream vs the same clients and a minimal raw-undici SSE reader',
    run: async () => (await import('./client-stream.ts')).runStreamBench(),
  },
  burst: {
    title: 'A burst: 500 concurrent streams of ~5 s each',
    run: async () => (await import('./burst.ts')).runBurstBench(),
  },
  stall: {
    title: 'A stalled primary: time to the first token, default options',
    run: async () => (await import('./stall.ts')).runStallBench(),
  },
  pipeline: {
    title: 'Full pipeline against both fakes',
    run: async () => (await import('./pipeline.ts')).runPipelineBench(),
  },
  templates: { title: 'TemplateCache', run: async () => (await import('./templates.ts')).runTemplateBench() },
  router: { title: 'FastPathRouter', run: async () => (await import('./router.ts')).runRouterBench() },
  session: { title: 'SessionCache', run: async () => (await import('./session.ts')).runSessionBench() },
  slo: { title: 'SloMonitor', run: async () => (await import('./slo.ts')).runSloBench() },
  sse: { title: 'The SSE parser on a 20 MB line', run: async () => (await import('./sse.ts')).runSseBench() },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

const machine = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  loadAverageAtStart: loadavg().map((load) => Number(load.toFixed(2))),
  date: new Date().toISOString(),
};
const header = [
  '# chatlane benchmarks',
  '',
  `${SMOKE ? 'SMOKE RUN (tiny counts, numbers meaningless). ' : ''}Node ${machine.node}, ${machine.cpu} × ${machine.cores}, ${machine.memoryGiB} GiB, ${machine.os}; load average at start ${machine.loadAverageAtStart.join(' / ')}; ${machine.date}.`,
  '',
].join('\n');
console.log(header);

const sections: string[] = [header];
const data: Record<string, unknown> = {};
for (const [name, suite] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const started = performance.now();
  const result = await suite.run();
  const markdown = typeof result === 'string' ? result : result.markdown;
  if (typeof result !== 'string') data[name] = result.data;
  // Every suite gets the same heading level; a suite's own leading heading is dropped for it.
  const body = markdown.trimStart().replace(/^#+ .*\n+/, '');
  const section = `## ${suite.title}\n\n${body}\n\n_(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)_\n`;
  console.log(section);
  sections.push(section);
}

if (wanted.length === 0 && !SMOKE) {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('latest.md', dir), `${sections.join('\n')}\n`);
  writeFileSync(new URL('latest.json', dir), `${JSON.stringify({ machine, suites: data }, null, 2)}\n`);
  console.log('Written: bench/results/latest.md, bench/results/latest.json');
}
