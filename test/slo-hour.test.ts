import { type SloBreach, type SloEvent, SloMonitor } from 'chatlane';
import { seededRandom } from 'chatlane/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** SPEC target: fewer alerts than this per hour in normal operation. */
const MAX_ALERTS_PER_HOUR = 5;

describe('SloMonitor over an hour (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  });
  afterEach(async () => {
    vi.useRealTimers();
  });

  /** One second of traffic: `rate` messages, each with a noisy pipeline, llm and discord time. */
  function second(monitor: SloMonitor, random: () => number, llmMedian: number): void {
    for (let i = 0; i < 2; i += 1) {
      const spike = random() < 0.02 ? 3 : 1; // a 2 % slow tail
      const llm = llmMedian * (0.6 + random() * 0.8) * spike;
      const discord = 60 + random() * 90 * spike;
      monitor.recordSummary({ corrId: 'x', totalMs: llm + discord + 50, phases: { llm, discord } });
    }
    vi.advanceTimersByTime(1_000);
  }

  /** Drives an hour: jitter, a 2 % slow tail, and a slowdown of `blipSeconds` every 10 minutes. */
  async function hour(seed: number, blipSeconds: number) {
    const monitor = new SloMonitor();
    const alerts: SloBreach[] = [];
    monitor.on('alert', (a) => alerts.push(a));
    const random = seededRandom(seed);
    let breachingChecks = 0;
    for (let s = 0; s < 3_600; s += 1) {
      const blip = s % 600 >= 300 && s % 600 < 300 + blipSeconds;
      second(monitor, random, blip ? 2_500 : 900);
      const { phases } = monitor.getCurrentSloStatus();
      if (s % 10 === 0 && phases.llm?.state === 'breaching') breachingChecks += 1;
    }
    const ok = monitor.getCurrentSloStatus().ok;
    await monitor.close();
    return { alerts, breachingChecks, ok };
  }

  it('noisy normal traffic raises fewer than MAX_ALERTS_PER_HOUR alerts', async () => {
    for (const seed of [1, 2, 3]) {
      const { alerts, ok } = await hour(seed, 5);
      expect(alerts.length).toBeLessThan(MAX_ALERTS_PER_HOUR);
      expect(ok).toBe(true);
    }
  });

  it('borderline traffic that keeps crossing the target is de-duplicated under the hourly budget', async () => {
    const { alerts, breachingChecks } = await hour(2026, 8);
    expect(breachingChecks).toBeGreaterThan(10); // the window p95 really was over target often
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.length).toBeLessThan(MAX_ALERTS_PER_HOUR);
  });

  it('a sustained breach alerts exactly once until the cooldown, then recovers once', async () => {
    const monitor = new SloMonitor();
    const events: SloEvent[] = [];
    monitor.on('alert', (a) => events.push(a));
    monitor.on('recovered', (r) => events.push(r));
    const random = seededRandom(99);
    for (let s = 0; s < 600; s += 1) second(monitor, random, 900); // 10 min fine
    for (let s = 0; s < 14 * 60; s += 1) second(monitor, random, 2_600); // 14 min breaching
    expect(events.map((e) => `${e.kind}:${e.phase}`)).toEqual(['slo_breach:llm', 'slo_breach:pipeline']);
    for (let s = 0; s < 2 * 60; s += 1) second(monitor, random, 2_600); // past the 15-min cooldown
    expect(events.filter((e) => e.kind === 'slo_breach' && e.reminder)).toHaveLength(2);
    for (let s = 0; s < 15 * 60; s += 1) second(monitor, random, 900); // back to normal
    const kinds = events.map((e) => `${e.kind}:${e.phase}`);
    expect(kinds.filter((k) => k.startsWith('slo_recovered')).sort()).toEqual([
      'slo_recovered:llm',
      'slo_recovered:pipeline',
    ]);
    expect(kinds).toHaveLength(6);
    await monitor.close();
  });

  it('the evaluation timer is unref-ed and cleared by close()', async () => {
    const monitor = new SloMonitor();
    expect(vi.getTimerCount()).toBe(1);
    await monitor.close();
    await monitor.close();
    expect(vi.getTimerCount()).toBe(0);
    new SloMonitor({ evaluateEveryMs: 0 }).close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
