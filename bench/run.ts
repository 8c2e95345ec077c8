/**
 * `npm run bench` — every benchmark of chatlane in one run, side by side, printed as markdown.
 * `npm run bench -- client slo` runs only the named suites.
 *
 * Timings are measured here, never asserted in tests: the machine is shared and noisy, so each
 * suite reports medians of interleaved rounds where it compares alternatives.
 */
const suites: Record<string, { title: string; run: () => Promise<string> }> = {
  client: {
    title: 'OpenRouterClient vs openai SDK, fetch and raw undici',
    run: async () => (await import('./client.ts')).runClientBench(),
  },
  pipeline: {
    title: 'Full pipeline against both fakes',
    run: async () => (await import('./pipeline.ts')).runPipelineBench(),
  },
  templates: { title: 'TemplateCache', run: async () => (await import('./templates.ts')).runTemplateBench() },
  router: { title: 'FastPathRouter', run: async () => (await import('./router.ts')).runRouterBench() },
  session: { title: 'SessionCache', run: async () => (await import('./session.ts')).runSessionBench() },
  slo: { title: 'SloMonitor', run: async () => (await import('./slo.ts')).runSloBench() },
  sse: { title: 'SseParser on a 20 MB line', run: async () => (await import('./sse.ts')).runSseBench() },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

console.log(`# chatlane benchmarks\n\nNode ${process.version}, ${new Date().toISOString()}\n`);
for (const [name, suite] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const started = performance.now();
  // Every suite gets the same heading level; a suite's own leading heading is dropped for it.
  const report = (await suite.run()).trimStart().replace(/^#+ .*\n+/, '');
  console.log(`## ${suite.title}\n`);
  console.log(report);
  console.log(`\n_(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)_\n`);
}
