import { describe, expect, it } from 'vitest';
import { ModelBreaker } from './breaker.ts';

describe('ModelBreaker', () => {
  it('opens after N consecutive failures, lets one probe through after the cooldown, closes on success', () => {
    let now = 0;
    const log: string[] = [];
    const breaker = new ModelBreaker('m', 2, 1_000, () => now, {
      onOpen: (model, failures) => log.push(`open:${model}:${failures}`),
      onClose: (model) => log.push(`close:${model}`),
    });
    expect(breaker.tryAcquire()).toBe(true);
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    now = 999;
    expect(breaker.tryAcquire()).toBe(false);
    now = 1_000;
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 2_000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.tryAcquire()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(log).toEqual(['open:m:2', 'open:m:3', 'close:m']);
  });
});
