import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../internal/clock.ts';
import { seededRandom } from '../testing/random.ts';
import { SendQueue } from './queue.ts';
import { type RateLimitEvent, RateLimitGate, type RateLimitGateOptions } from './rate-limit.ts';

const CHANNEL = '123456789012345678';

function headers(values: Record<string, string>) {
  return { get: (name: string) => values[name.toLowerCase()] ?? null };
}

/** A gate on the system clock with a [100, 300] ms jitter; `options` override the rest. */
function makeGate(random: () => number, options: Partial<RateLimitGateOptions> = {}): RateLimitGate {
  return new RateLimitGate({
    clock: systemClock,
    random,
    jitterMinMs: 100,
    jitterMaxMs: 300,
    onRateLimit: () => {},
    ...options,
  });
}

describe('RateLimitGate jitter (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds a channel for retry_after plus a jitter within [100, 300] ms', () => {
    const events: RateLimitEvent[] = [];
    const random = seededRandom(7);
    const gate = makeGate(random, { onRateLimit: (e) => events.push(e) });
    for (let i = 0; i < 200; i += 1) {
      gate.observeResponse(`/channels/${CHANNEL}/messages`, {
        status: 429,
        headers: headers({ 'retry-after': '1.5' }),
      } as never);
      const hold = gate.holdFor(CHANNEL);
      expect(hold).toBeGreaterThanOrEqual(1_600);
      expect(hold).toBeLessThanOrEqual(1_800);
      vi.advanceTimersByTime(2_000);
      expect(gate.holdFor(CHANNEL)).toBe(0);
    }
    const jitters = events.map((e) => e.jitterMs);
    expect(Math.min(...jitters)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...jitters)).toBeLessThanOrEqual(300);
    expect(new Set(jitters.map(Math.round)).size).toBeGreaterThan(50);
    expect(gate.stats()).toMatchObject({ rateLimited: 200, invalidRequests: 200 });
  });

  it('a global 429 holds every channel; other statuses hold nothing', () => {
    const gate = makeGate(() => 0);
    gate.observeResponse('/channels/1/messages', { status: 200, headers: headers({}) } as never);
    expect(gate.holdFor(CHANNEL)).toBe(0);
    gate.observeResponse('/users/@me/channels', {
      status: 429,
      headers: headers({ 'retry-after': '2', 'x-ratelimit-global': 'true' }),
    } as never);
    expect(gate.holdFor(CHANNEL)).toBe(2_100);
    expect(gate.holdFor('223456789012345678')).toBe(2_100);
  });

  it('queued work for a held channel starts only after reset + jitter', async () => {
    const gate = makeGate(() => 0.25);
    const queue = new SendQueue({
      maxQueue: 10,
      maxInFlight: 10,
      maxInFlightPerChannel: 3,
      clock: systemClock,
      holdFor: (channel) => gate.holdFor(channel),
    });
    gate.hold(CHANNEL, 1_000, false, 'preemptive');
    const started: number[] = [];
    const t0 = Date.now();
    const job = queue.push({
      channelId: CHANNEL,
      priority: 'normal',
      ordered: true,
      run: async () => {
        started.push(Date.now() - t0);
      },
    });
    const other = queue.push({
      channelId: 'other',
      priority: 'normal',
      ordered: true,
      run: async () => 'free',
    });
    await expect(other).resolves.toBe('free');
    await vi.advanceTimersByTimeAsync(1_149);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await job;
    expect(started).toEqual([1_150]);
    queue.close(new Error('closed'));
  });

  it('does not count a shared-scope 429 as invalid (Discord excludes it), but still holds', () => {
    const gate = makeGate(() => 0);
    gate.observeResponse(`/channels/${CHANNEL}/messages`, {
      status: 429,
      headers: headers({ 'retry-after': '1', 'x-ratelimit-scope': 'shared' }),
    } as never);
    expect(gate.stats()).toMatchObject({ rateLimited: 1, invalidRequests: 0 });
    expect(gate.holdFor(CHANNEL)).toBe(1_100);
  });

  it('reports 0 invalid requests once their 10-minute window is over', () => {
    const gate = makeGate(() => 0);
    gate.observeResponse('/channels/1/messages', { status: 403, headers: headers({}) } as never);
    expect(gate.stats().invalidRequests).toBe(1);
    vi.advanceTimersByTime(10 * 60_000);
    expect(gate.stats().invalidRequests).toBe(0);
  });

  it('warns at 50% and 90% of the invalid-request limit within the window', () => {
    const warnings: number[] = [];
    const gate = makeGate(() => 0, { onInvalidWarning: (w) => warnings.push(w.count) });
    for (let i = 0; i < 9_500; i += 1)
      gate.observeResponse('/channels/1/messages', { status: 403, headers: headers({}) } as never);
    expect(warnings).toEqual([5_000, 9_000]);
    vi.advanceTimersByTime(10 * 60_000);
    gate.observeResponse('/channels/1/messages', { status: 401, headers: headers({}) } as never);
    expect(gate.stats().invalidRequests).toBe(1);
  });
});
