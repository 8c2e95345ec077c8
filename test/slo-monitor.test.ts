import {
  DEFAULT_SLO_OPTIONS,
  InvalidOptionsError,
  PHASES,
  type SloBreach,
  type SloEvent,
  SloMonitor,
  type SloMonitorOptions,
} from 'chatlane';
import { ManualClock, seededRandom } from 'chatlane/testing';
import { describe, expect, it, vi } from 'vitest';

/** A monitor on a hand-driven clock, evaluated only by `evaluate()`, with tiny windows. */
function manual(options: SloMonitorOptions = {}) {
  const clock = new ManualClock(1_000_000);
  const monitor = new SloMonitor({
    evaluateEveryMs: 0,
    windowMaxSamples: 20,
    minSamples: 10,
    regression: { enabled: false },
    clock,
    ...options,
  });
  /** One second later, replaces the phase's window with 20 samples of `ms`, then evaluates. */
  const round = (ms: number, phase: string = PHASES.LLM): SloEvent[] => {
    clock.advance(1_000);
    for (let i = 0; i < 20; i += 1) {
      clock.advance(1);
      monitor.record(phase, ms);
    }
    return monitor.evaluate();
  };
  return { monitor, round, advance: (ms: number) => clock.advance(ms) };
}

describe('SloMonitor options', () => {
  it('has the default targets and merges configured ones', async () => {
    const monitor = new SloMonitor({ targets: { router: 100, llm: 1_500 }, evaluateEveryMs: 0 });
    const phases = monitor.getCurrentSloStatus().phases;
    expect(phases.pipeline?.target).toBe(DEFAULT_SLO_OPTIONS.targets.pipeline);
    expect(phases.discord?.target).toBe(250);
    expect(phases.llm?.target).toBe(1_500);
    expect(phases.router?.target).toBe(100);
    expect(phases.llm?.state).toBe('no_data');
    await monitor.close();
  });

  it('rejects bad options naming each value', () => {
    let caught: unknown;
    try {
      new SloMonitor({ windowMs: -1, targets: { llm: 0 }, logger: {} as never });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    const issues = (caught as InvalidOptionsError).issues.join('\n');
    expect(issues).toContain('`windowMs`');
    expect(issues).toContain('`targets.llm`');
    expect(issues).toContain('`logger`');
    expect(() => new SloMonitor({ windowMaxSamples: 5, minSamples: 10 })).toThrow(/minSamples/);
  });
});

describe('SloMonitor recording', () => {
  it('records a PhaseTimer summary: totalMs as pipeline plus every phase', async () => {
    const { monitor } = manual();
    monitor.recordSummary({
      corrId: 'a1b2c3d4',
      totalMs: 1_200,
      phases: { router: 3, llm: 900, discord: 80 },
    });
    const phases = monitor.getCurrentSloStatus().phases;
    expect(phases.pipeline?.p95).toBe(1_200);
    expect(phases.llm?.samples).toBe(1);
    expect(phases.router?.p50).toBe(3);
    expect(phases.router?.state).toBe('no_target');
    await monitor.close();
  });

  it('drops invalid values, excess phases and samples after close, counting them', async () => {
    const { monitor } = manual({ maxPhases: 4 });
    monitor.record('llm', Number.NaN);
    monitor.record('llm', -1);
    monitor.record('', 1);
    monitor.record('router', 1); // 4th phase: kept
    monitor.record('prompt', 1); // 5th phase: dropped
    await monitor.close();
    monitor.record('llm', 5);
    const status = monitor.getCurrentSloStatus();
    expect(status.totals.dropped).toBe(5);
    expect(Object.keys(status.phases)).toEqual(['pipeline', 'llm', 'discord', 'router']);
    expect(() => monitor.evaluate()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('reports exact p50/p95/p99 of seeded random data', async () => {
    const { monitor } = manual({ windowMaxSamples: 500 });
    const random = seededRandom(11);
    const values = Array.from({ length: 1_234 }, () => 200 * Math.exp(2 * random()));
    for (const v of values) monitor.record('llm', v);
    const sorted = values.slice(-500).sort((a, b) => a - b);
    const rank = (q: number) => sorted[Math.ceil(q * sorted.length) - 1];
    const llm = monitor.getCurrentSloStatus().phases.llm;
    expect([llm?.p50, llm?.p95, llm?.p99]).toEqual([rank(0.5), rank(0.95), rank(0.99)]);
    await monitor.close();
  });

  it('window is count-bounded: a million samples keep it at windowMaxSamples', async () => {
    const monitor = new SloMonitor({ evaluateEveryMs: 0 });
    const random = seededRandom(3);
    for (let i = 0; i < 1_000_000; i += 1) monitor.record('llm', random() * 2_000);
    const llm = monitor.getCurrentSloStatus().phases.llm;
    expect(llm?.samples).toBe(DEFAULT_SLO_OPTIONS.windowMaxSamples);
    expect(llm?.totalSamples).toBe(1_000_000);
    await monitor.close();
  });
});

describe('SloMonitor alerting', () => {
  it('alerts only after 3 consecutive breaching evaluations', async () => {
    const { monitor, round } = manual();
    expect(round(2_000)).toEqual([]);
    expect(round(2_000)).toEqual([]);
    expect(round(1_000)).toEqual([]); // a good evaluation resets the streak
    expect(round(2_000)).toEqual([]);
    expect(round(2_000)).toEqual([]);
    expect(monitor.getCurrentSloStatus().phases.llm?.consecutiveBreaches).toBe(2);
    const [alert] = round(2_000) as SloBreach[];
    expect(alert).toMatchObject({ kind: 'slo_breach', phase: 'llm', p95: 2_000, target: 1_800 });
    expect(alert?.consecutiveBreaches).toBe(3);
    expect(alert?.reminder).toBe(false);
    await monitor.close();
  });

  it('ignores phases below minSamples', async () => {
    const { monitor } = manual();
    for (let i = 0; i < 5; i += 1) {
      monitor.record('llm', 9_000);
      expect(monitor.evaluate()).toEqual([]);
    }
    expect(monitor.getCurrentSloStatus().phases.llm?.state).toBe('no_data');
    await monitor.close();
  });

  it('de-duplicates: one alert per episode until recovery, a reminder after the cooldown', async () => {
    const { monitor, round, advance } = manual({ alertCooldownMs: 60_000 });
    const kinds = () => monitor.recentAlerts().map((e) => e.kind);
    for (let i = 0; i < 10; i += 1) round(2_000);
    expect(kinds()).toEqual(['slo_breach']);
    advance(60_000);
    const [reminder] = round(2_000) as SloBreach[];
    expect(reminder?.reminder).toBe(true);
    // recovery needs 3 consecutive good evaluations
    expect(round(1_000)).toEqual([]);
    expect(round(1_000)).toEqual([]);
    expect(round(3_000)).toEqual([]); // breach again: recovery streak reset
    expect(round(1_000)).toEqual([]);
    expect(round(1_000)).toEqual([]);
    const [recovered] = round(1_000);
    expect(recovered).toMatchObject({ kind: 'slo_recovered', phase: 'llm', target: 1_800 });
    expect(monitor.getCurrentSloStatus().phases.llm?.alerting).toBe(false);
    // a new episode alerts again right away, without waiting for the cooldown
    round(2_000);
    round(2_000);
    round(2_000);
    expect(kinds()).toEqual(['slo_breach', 'slo_breach', 'slo_recovered', 'slo_breach']);
    await monitor.close();
  });

  it('delivers alerts to onAlert, on() listeners and the logger; a throwing callback breaks nothing', async () => {
    const onAlert = vi.fn(() => {
      throw new Error('callback bug');
    });
    const logged: Array<[string, string, object]> = [];
    const logger = {
      warn: (detail: object, event: string) => logged.push(['warn', event, detail]),
      info: (detail: object, event: string) => logged.push(['info', event, detail]),
      debug: (detail: object, event: string) => logged.push(['debug', event, detail]),
      error: (detail: object, event: string) => logged.push(['error', event, detail]),
    };
    const { monitor, round } = manual({ onAlert, logger, consecutiveBreaches: 1, consecutiveRecoveries: 1 });
    const alerts: SloBreach[] = [];
    const recovered: SloEvent[] = [];
    const off = monitor.on('alert', (a) => alerts.push(a));
    monitor.on('recovered', (r) => recovered.push(r));
    round(2_000);
    round(1_000);
    off();
    round(2_000);
    expect(onAlert).toHaveBeenCalledTimes(2);
    expect(alerts).toHaveLength(1);
    expect(recovered).toHaveLength(1);
    expect(logged.map(([level, event]) => `${level}:${event}`)).toEqual([
      'warn:slo_breach',
      'info:slo_recovered',
      'warn:slo_breach',
    ]);
    expect(logged[0]?.[2]).toMatchObject({ phase: 'llm', p95: 2_000, target: 1_800 });
    await monitor.close();
  });
});

describe('SloMonitor regression detection', () => {
  const regression = { enabled: true, minSamples: 10, threshold: 0.25 };

  it('takes an automatic baseline, reports a regression once, clears with hysteresis', async () => {
    const { monitor, round } = manual({ regression, windowMs: 1_000, alertCooldownMs: 0 });
    round(100, 'router');
    expect(monitor.getBaseline()).toEqual({}); // not observed for a full window yet
    round(100, 'router');
    expect(monitor.getBaseline()).toEqual({ router: 100 });
    expect(round(120, 'router')).toEqual([]); // +20 %: within threshold
    const [event] = round(140, 'router');
    expect(event).toMatchObject({ kind: 'performance_regression', phase: 'router', baselineP95: 100 });
    expect(event?.kind === 'performance_regression' && event.increase).toBeCloseTo(0.4);
    expect(round(140, 'router')).toEqual([]); // de-duplicated
    expect(round(120, 'router')).toEqual([]); // +20 % > threshold/2: still regressed
    expect(monitor.getCurrentSloStatus().phases.router?.regressed).toBe(true);
    round(110, 'router'); // +10 %: cleared
    expect(monitor.getCurrentSloStatus().phases.router?.regressed).toBe(false);
    expect(round(150, 'router')).toHaveLength(1);
    await monitor.close();
  });

  it('does not repeat a regression within the alert cooldown', async () => {
    const { monitor, round, advance } = manual({ regression, windowMs: 1_000, alertCooldownMs: 60_000 });
    round(100);
    round(100);
    expect(round(200)).toHaveLength(1);
    round(100); // cleared
    expect(round(200)).toEqual([]); // regressed again, but within the cooldown
    advance(60_000);
    round(100);
    expect(round(200)).toHaveLength(1);
    await monitor.close();
  });

  it('setBaseline() snapshots the current windows; explicit values are validated', async () => {
    const { monitor, round } = manual({
      regression: { ...regression, autoBaseline: false },
      windowMs: 1_000,
    });
    const events: SloEvent[] = [];
    monitor.on('regression', (e) => events.push(e));
    round(100);
    expect(monitor.getBaseline()).toEqual({});
    expect(monitor.setBaseline()).toEqual({ llm: 100 });
    round(200);
    expect(events).toHaveLength(1);
    expect(monitor.setBaseline({ discord: 50 })).toEqual({ llm: 100, discord: 50 });
    expect(() => monitor.setBaseline({ llm: -1 })).toThrow(InvalidOptionsError);
    monitor.clearBaseline('llm');
    expect(monitor.getBaseline()).toEqual({ discord: 50 });
    await monitor.close();
  });
});
