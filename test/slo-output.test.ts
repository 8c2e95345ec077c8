import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stripVTControlCharacters } from 'node:util';
import { PROMETHEUS_CONTENT_TYPE, SloMonitor } from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';

const START = Date.UTC(2026, 0, 1, 9, 0, 0);

/** A monitor with some history: llm breached then recovered, a regression on router. */
function populated(): SloMonitor {
  const clock = new ManualClock(START);
  const monitor = new SloMonitor({
    evaluateEveryMs: 0,
    windowMaxSamples: 20,
    windowMs: 60_000,
    regression: { minSamples: 10 },
    clock,
  });
  const round = (llm: number, router = 4) => {
    clock.advance(10_000);
    for (let i = 1; i <= 20; i += 1) {
      clock.advance(1);
      monitor.recordSummary({
        corrId: 'a1b2c3d4',
        totalMs: llm + 150,
        phases: { llm: llm + i, router, discord: 90 + i },
      });
    }
    monitor.evaluate();
  };
  for (let i = 0; i < 7; i += 1) round(900);
  for (let i = 0; i < 3; i += 1) round(2_000);
  for (let i = 0; i < 3; i += 1) round(1_000, 9);
  monitor.record('prompt', 1.25);
  return monitor;
}

describe('SloMonitor.renderDashboard', () => {
  it('renders a plain panel (snapshot)', async () => {
    const monitor = populated();
    expect(monitor.renderDashboard({ color: false, timeZone: 'utc' })).toMatchInlineSnapshot(`
      "╭─ chatlane SLO · ok · window 1 min ───────────────────────────────────────────╮
      │ phases (p95 vs target)                                                       │
      │ ├─ ✔ pipeline      1150 ms / 2500 ms   ███████░░░░░░░░░   46% n=20           │
      │ ├─ ✔ llm           1019 ms / 1800 ms   █████████░░░░░░░   57% n=20           │
      │ ├─ ✔ discord        109 ms / 250 ms    ███████░░░░░░░░░   44% n=20           │
      │ ├─ ℹ router         9.0 ms / no target ░░░░░░░░░░░░░░░░    —  n=20 ↑         │
      │ └─ ℹ prompt         1.3 ms / no target ░░░░░░░░░░░░░░░░    —  n=1            │
      ├─ alerts (5, last 5) ─────────────────────────────────────────────────────────┤
      │ ├─ 09:01:20.160Z ⚠ regression pipeline 2150 ms vs 1050 ms (+105%)            │
      │ ├─ 09:01:20.160Z ⚠ regression llm 2019 ms vs 919 ms (+120%)                  │
      │ ├─ 09:01:40.200Z ✖ slo_breach llm 2019 ms > 1800 ms (3× in a row)            │
      │ ├─ 09:01:50.220Z ⚠ regression router 9.0 ms vs 4.0 ms (+125%)                │
      │ └─ 09:02:10.260Z ✔ slo_recovered llm 1019 ms ≤ 1800 ms after 50 s            │
      ├─ totals ─────────────────────────────────────────────────────────────────────┤
      │ 1041 samples · 1 alert · 1 recovery · 3 regressions · 0 dropped              │
      ╰──────────────────────────────────────────────────────────────────────────────╯"
    `);
    await monitor.close();
  });

  it('every line has the same width, also narrow; colour only when asked', async () => {
    const monitor = populated();
    for (const width of [50, 80, 100]) {
      const lines = monitor.renderDashboard({ color: false, width }).split('\n');
      expect(new Set(lines.map((l) => l.length))).toEqual(new Set([width]));
    }
    const coloured = monitor.renderDashboard({ color: true });
    expect(coloured).toContain('\u001b[31m');
    const plain = stripVTControlCharacters(coloured);
    expect(plain).toBe(monitor.renderDashboard({ color: false }));
    // vitest's stdout is not a TTY: plain by default
    expect(monitor.renderDashboard()).not.toContain('\u001b[');
    await monitor.close();
  });
});

describe('SloMonitor.renderDashboard: too few samples', () => {
  /** 5 samples (fewer than SLO_MIN_SAMPLES, 10) of llm at 170 % of its 1800 ms target, and a long phase name. */
  function warming(): SloMonitor {
    const monitor = new SloMonitor({ evaluateEveryMs: 0 });
    for (let i = 0; i < 5; i += 1) {
      monitor.recordSummary({
        corrId: 'a1b2c3d4',
        totalMs: 3_100,
        phases: { llm: 3_060, llm_first_token: 400 },
      });
    }
    monitor.evaluate();
    return monitor;
  }

  it('reads "warming up", never "ok", beside a phase at 170 % of its target', () => {
    const monitor = warming();
    const lines = monitor.renderDashboard({ color: false }).split('\n');
    expect(lines[0]).toContain('chatlane SLO · warming up ·');
    expect(lines[0]).not.toContain(' ok ');
    const llm = lines.find((line) => line.includes(' llm '));
    expect(llm).toContain('170%');
    expect(llm).toContain('n=5/10 warming up');
    expect(llm).not.toContain('✔');
    monitor.close();
  });

  it('renders a warming-up panel (snapshot)', () => {
    const monitor = warming();
    expect(monitor.renderDashboard({ color: false })).toMatchInlineSnapshot(`
      "╭─ chatlane SLO · warming up · window 5 min ───────────────────────────────────╮
      │ phases (p95 vs target)                                                       │
      │ ├─ ◌ pipeline         3100 ms / 2500 ms   ██████████  124% n=5/10 warming up │
      │ ├─ ◌ llm              3060 ms / 1800 ms   ██████████  170% n=5/10 warming up │
      │ ├─ · discord                — / 250 ms    ░░░░░░░░░░    —  n=0               │
      │ └─ ℹ llm_first_token   400 ms / no target ░░░░░░░░░░    —  n=5               │
      ├─ alerts (0, last 0) ─────────────────────────────────────────────────────────┤
      │ no alerts                                                                    │
      ├─ totals ─────────────────────────────────────────────────────────────────────┤
      │ 15 samples · 0 alerts · 0 recoveries · 0 regressions · 0 dropped             │
      ╰──────────────────────────────────────────────────────────────────────────────╯"
    `);
    monitor.close();
  });

  it('never cuts a phase name', () => {
    const monitor = warming();
    for (const width of [60, 80]) {
      const text = monitor.renderDashboard({ color: false, width });
      expect(text).toContain(' llm_first_token ');
    }
    monitor.close();
  });
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict parser of the Prometheus text format 0.0.4: throws on anything malformed. */
function parsePrometheus(text: string) {
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const samples: Sample[] = [];
  const closed = new Set<string>();
  let current: string | undefined;
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (name !== current) {
        if (current) closed.add(current);
        if (closed.has(name)) throw new Error(`family ${name} is not contiguous`);
        current = name;
      }
      const map = kind === 'HELP' ? helps : types;
      if (map.has(name)) throw new Error(`duplicate ${kind} for ${name}`);
      if (kind === 'TYPE' && !['counter', 'gauge', 'summary', 'histogram', 'untyped'].includes(rest)) {
        throw new Error(`bad type ${rest}`);
      }
      map.set(name, rest);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`malformed line: ${line}`);
    const [, name, rawLabels, rawValue] = sample as unknown as [string, string, string | undefined, string];
    const family = current;
    const allowed =
      family !== undefined &&
      (name === family ||
        (types.get(family) === 'summary' && (name === `${family}_sum` || name === `${family}_count`)));
    if (!allowed) throw new Error(`sample ${name} outside its family (${family})`);
    const labels: Record<string, string> = {};
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
    let rest = rawLabels ?? '';
    while (rest.length > 0) {
      labelPattern.lastIndex = 0;
      const m = labelPattern.exec(rest);
      if (!m) throw new Error(`bad labels: ${rawLabels}`);
      labels[m[1]!] = m[2]!.replaceAll(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(m[0].length);
    }
    const value = rawValue === '+Inf' ? Infinity : rawValue === '-Inf' ? -Infinity : Number(rawValue);
    if (rawValue !== 'NaN' && Number.isNaN(value)) throw new Error(`bad value ${rawValue}`);
    samples.push({ name, labels, value });
  }
  for (const name of types.keys()) expect(helps.has(name), `HELP for ${name}`).toBe(true);
  const keys = samples.map((s) => `${s.name}${JSON.stringify(s.labels)}`);
  expect(new Set(keys).size).toBe(keys.length);
  return { types, samples };
}

describe('SloMonitor.toPrometheus', () => {
  it('is valid exposition format that parses back to the monitor state', async () => {
    const monitor = populated();
    const status = monitor.getCurrentSloStatus();
    const { types, samples } = parsePrometheus(monitor.toPrometheus());
    const find = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

    expect(types.get('chatlane_phase_duration_seconds')).toBe('summary');
    expect(types.get('chatlane_slo_alerts_total')).toBe('counter');
    expect(types.get('chatlane_slo_target_seconds')).toBe('gauge');
    for (const name of types.keys()) expect(name.startsWith('chatlane_')).toBe(true);

    const llm = status.phases.llm!;
    expect(find('chatlane_phase_duration_seconds', { phase: 'llm', quantile: '0.95' })).toBe(
      llm.p95! / 1_000,
    );
    expect(find('chatlane_phase_duration_seconds_count', { phase: 'llm' })).toBe(llm.totalSamples);
    expect(find('chatlane_slo_target_seconds', { phase: 'llm' })).toBe(1.8);
    expect(find('chatlane_slo_target_seconds', { phase: 'discord' })).toBe(0.25);
    expect(find('chatlane_slo_target_seconds', { phase: 'router' })).toBeUndefined();
    expect(find('chatlane_slo_alerts_total', { phase: 'llm' })).toBe(1);
    expect(find('chatlane_slo_recoveries_total', { phase: 'llm' })).toBe(1);
    expect(find('chatlane_performance_regressions_total', { phase: 'router' })).toBe(1);
    expect(find('chatlane_slo_dropped_samples_total', {})).toBe(0);
    await monitor.close();
  });

  it('writes NaN quantiles for an empty window and escapes label values', async () => {
    const monitor = new SloMonitor({ evaluateEveryMs: 0 });
    monitor.record('we"ird\\phase\nname', 5);
    const { samples } = parsePrometheus(monitor.toPrometheus());
    const pipeline = samples.find((s) => s.labels.phase === 'pipeline' && s.labels.quantile === '0.5');
    expect(pipeline?.value).toBeNaN();
    const weird = samples.find(
      (s) =>
        s.name === 'chatlane_phase_duration_seconds_count' &&
        s.labels.phase !== 'pipeline' &&
        s.labels.phase?.startsWith('we'),
    );
    expect(weird?.labels.phase).toBe('we"ird\\phase\nname');
    expect(weird?.value).toBe(1);
    await monitor.close();
  });
});

describe('SloMonitor.createMetricsHandler', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  async function serve(monitor: SloMonitor, options?: { path?: string | null }): Promise<string> {
    server = createServer(monitor.createMetricsHandler(options));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves the exposition on GET /metrics, 404 elsewhere, 405 for other methods', async () => {
    const monitor = populated();
    const base = await serve(monitor);
    const ok = await fetch(`${base}/metrics?x=1`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(await ok.text()).toBe(monitor.toPrometheus());
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const missing = await fetch(`${base}/other`);
    expect(missing.status).toBe(404);
    await missing.text();
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await post.text();
    await monitor.close();
  });

  it('answers on any path with path: null', async () => {
    const monitor = new SloMonitor({ evaluateEveryMs: 0 });
    const base = await serve(monitor, { path: null });
    const res = await fetch(`${base}/anything`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE chatlane_phase_duration_seconds summary');
    await monitor.close();
  });
});
