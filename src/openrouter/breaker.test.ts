import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelBreaker } from './breaker.ts';

function makeBreaker(log: string[], threshold = 2, cooldownMs = 1_000): ModelBreaker {
  return new ModelBreaker('m', threshold, cooldownMs, {
    onOpen: (model, failures) => log.push(`open:${model}:${failures}`),
    onClose: (model) => log.push(`close:${model}`),
  });
}

describe('ModelBreaker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens after N consecutive failures, lets one probe through after the cooldown, closes on success', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log);
    expect(breaker.tryAcquire()).toBe('call');
    breaker.failure('call');
    breaker.success();
    breaker.failure('call');
    expect(breaker.state).toBe('closed');
    breaker.failure('call');
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    vi.advanceTimersByTime(999);
    expect(breaker.tryAcquire()).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe('probe');
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.failure('probe');
    expect(breaker.state).toBe('open');
    vi.advanceTimersByTime(1_000);
    expect(breaker.tryAcquire()).toBe('probe');
    breaker.release('probe');
    expect(breaker.tryAcquire()).toBe('probe');
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(log).toEqual(['open:m:2', 'open:m:3', 'close:m']);
    breaker.shutdown();
  });

  it('a call admitted before the breaker opened neither reopens it nor frees the probe slot', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log);
    breaker.failure('call');
    breaker.failure('call');
    vi.advanceTimersByTime(1_000);
    expect(breaker.tryAcquire()).toBe('probe');
    breaker.failure('call'); // a stale call gives up on the model
    breaker.release('call');
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.failure('probe');
    expect(breaker.state).toBe('open');
    expect(log).toEqual(['open:m:2', 'open:m:4']);
    breaker.shutdown();
  });

  it('counts only consecutive failures, never trips on an error rate, and holds no timer while closed', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log, 3);
    expect(vi.getTimerCount()).toBe(0);
    for (let i = 0; i < 50; i += 1) {
      breaker.failure('call');
      breaker.failure('call');
      breaker.success();
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.failures).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    breaker.failure('call');
    breaker.failure('call');
    breaker.failure('call');
    expect(breaker.state).toBe('open');
    expect(vi.getTimerCount()).toBe(1);
    expect(log).toEqual(['open:m:3']);
    breaker.shutdown();
  });

  it('a late success while open closes it and clears the cooldown timer', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log);
    breaker.failure('call');
    breaker.failure('call');
    expect(vi.getTimerCount()).toBe(1);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    expect(log).toEqual(['open:m:2', 'close:m']);
    breaker.shutdown();
  });

  it('shutdown() clears the cooldown timer, keeps the last state and ignores later verdicts', () => {
    const log: string[] = [];
    const breaker = makeBreaker(log);
    breaker.failure('call');
    breaker.failure('call');
    breaker.shutdown();
    breaker.shutdown();
    expect(vi.getTimerCount()).toBe(0);
    expect(breaker.state).toBe('open');
    vi.advanceTimersByTime(5_000);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.success();
    breaker.failure('call');
    expect(breaker.state).toBe('open');
    expect(log).toEqual(['open:m:2']);

    const closed = makeBreaker(log);
    closed.shutdown();
    expect(closed.state).toBe('closed');
    expect(closed.tryAcquire()).toBeUndefined();
  });
});
