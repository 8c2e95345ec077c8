import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BreakerPermit, ModelBreaker } from './breaker.ts';

function makeBreaker(log: string[], threshold = 2, cooldownMs = 1_000): ModelBreaker {
  return new ModelBreaker('m', threshold, cooldownMs, {
    onOpen: (model, failures) => log.push(`open:${model}:${failures}`),
    onClose: (model) => log.push(`close:${model}`),
  });
}

/** A permit the breaker must give now. */
function admit(breaker: ModelBreaker): BreakerPermit {
  const permit = breaker.tryAcquire();
  if (permit === undefined) throw new Error(`breaker ${breaker.state}: no permit`);
  return permit;
}

/** Fails `n` calls admitted now, one after the other. */
function failCalls(breaker: ModelBreaker, n: number): void {
  for (let i = 0; i < n; i += 1) breaker.failure(admit(breaker));
}

describe('ModelBreaker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens after N consecutive failures, lets one probe through after the cooldown, closes on its success', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log);
    expect(admit(breaker)).toEqual({ kind: 'call', generation: 0 });
    breaker.failure(admit(breaker));
    breaker.success(admit(breaker));
    failCalls(breaker, 1);
    expect(breaker.state).toBe('closed');
    failCalls(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    vi.advanceTimersByTime(999);
    expect(breaker.tryAcquire()).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(breaker.state).toBe('half_open');
    const probe = admit(breaker);
    expect(probe).toEqual({ kind: 'probe', generation: 1 });
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.failure(probe);
    expect(breaker.state).toBe('open');
    vi.advanceTimersByTime(1_000);
    breaker.release(admit(breaker));
    breaker.success(admit(breaker));
    expect(breaker.state).toBe('closed');
    expect(log).toEqual(['open:m:2', 'open:m:3', 'close:m']);
    expect(breaker.lateVerdicts).toBe(0);
    breaker.shutdown();
  });

  it('a success that was in flight when the breaker opened does not close it (issue #15)', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log);
    const slow = admit(breaker); // C: admitted while closed, answers late
    failCalls(breaker, 2); // A and B open the breaker
    expect(breaker.state).toBe('open');
    breaker.success(slow);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined(); // D is not let through
    expect(breaker.failures).toBe(2);
    expect(breaker.lateVerdicts).toBe(1);
    expect(vi.getTimerCount()).toBe(1); // the cooldown still runs
    vi.advanceTimersByTime(1_000);
    breaker.success(admit(breaker)); // only the probe closes it
    expect(breaker.state).toBe('closed');
    expect(log).toEqual(['open:m:2', 'close:m']);
    breaker.shutdown();
  });

  it('a late failure while half-open neither decides nor frees the probe slot: only the probe does', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log);
    const stale = admit(breaker);
    failCalls(breaker, 2);
    vi.advanceTimersByTime(1_000);
    const probe = admit(breaker);
    breaker.failure(stale);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.success(probe);
    expect(breaker.state).toBe('closed');
    expect(breaker.lateVerdicts).toBe(1);
    expect(log).toEqual(['open:m:2', 'close:m']);
    breaker.shutdown();
  });

  it('late results count toward opening only in their own generation', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log);
    const before = [admit(breaker), admit(breaker)];
    breaker.failure(admit(breaker)); // one failure; the two still in flight may add to it
    breaker.failure(before[0]!);
    expect(breaker.state).toBe('open'); // a call admitted before the open counted toward it
    vi.advanceTimersByTime(1_000);
    breaker.success(admit(breaker)); // the probe closes it: a new generation of calls
    breaker.failure(before[1]!); // a failure from before the open arrives after the recovery
    failCalls(breaker, 1);
    expect(breaker.state).toBe('closed'); // one current failure, not two
    expect(breaker.failures).toBe(1);
    expect(breaker.lateVerdicts).toBe(1);
    breaker.shutdown();
  });

  it('counts only consecutive failures, never trips on an error rate, and holds no timer while closed', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log, 3);
    expect(vi.getTimerCount()).toBe(0);
    for (let i = 0; i < 50; i += 1) {
      failCalls(breaker, 2);
      breaker.success(admit(breaker));
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.failures).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    failCalls(breaker, 3);
    expect(breaker.state).toBe('open');
    expect(vi.getTimerCount()).toBe(1);
    expect(log).toEqual(['open:m:3']);
    breaker.shutdown();
  });

  it('shutdown() clears the cooldown timer, keeps the last state and ignores later verdicts', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log);
    const inFlight = admit(breaker);
    failCalls(breaker, 2);
    breaker.shutdown();
    breaker.shutdown();
    expect(vi.getTimerCount()).toBe(0);
    expect(breaker.state).toBe('open');
    vi.advanceTimersByTime(5_000);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.success(inFlight);
    breaker.failure(inFlight);
    expect(breaker.state).toBe('open');
    expect(log).toEqual(['open:m:2']);

    const closed = makeBreaker(log);
    closed.shutdown();
    expect(closed.state).toBe('closed');
    expect(closed.tryAcquire()).toBeUndefined();
  });
});
