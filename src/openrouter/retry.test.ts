import { describe, expect, it } from 'vitest';
import { OR_RETRY_AFTER_MAX_MS, OR_RETRY_BASE_DELAY_MS, OR_RETRY_MAX_DELAY_MS } from '../constants.ts';
import { OpenRouterHttpError, TimeoutError } from './errors.ts';
import { backoffMs, parseRetryAfter, retryDelayMs } from './retry.ts';

const http = (status: number, retryAfterMs?: number) =>
  new OpenRouterHttpError({
    status,
    body: '',
    model: 'm',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('retry timing', () => {
  it('parses retry-after-ms first, then Retry-After seconds or date', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '150', 'retry-after': '9' })).toBe(150);
    expect(parseRetryAfter({ 'retry-after': '2' })).toBe(2_000);
    expect(parseRetryAfter({ 'retry-after': new Date(10_000).toUTCString() }, 4_000)).toBe(6_000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter({})).toBeUndefined();
  });

  it('backs off with full jitter under an exponential cap', () => {
    expect(backoffMs(0, () => 0.999)).toBeLessThan(OR_RETRY_BASE_DELAY_MS);
    expect(backoffMs(3, () => 0.5)).toBe(Math.floor(0.5 * OR_RETRY_BASE_DELAY_MS * 8));
    expect(backoffMs(30, () => 0.999)).toBeLessThan(OR_RETRY_MAX_DELAY_MS);
    expect(backoffMs(2, () => 0)).toBe(0);
  });

  it('refuses non-retryable errors, long Retry-After and waits past the deadline', () => {
    const random = () => 0.5;
    expect(retryDelayMs(http(400), 0, 10_000, random)).toBeUndefined();
    expect(retryDelayMs(http(503), 0, 10_000, random)).toBe(Math.floor(0.5 * OR_RETRY_BASE_DELAY_MS));
    expect(retryDelayMs(http(429, 1_200), 0, 10_000, random)).toBe(1_200);
    expect(retryDelayMs(http(429, OR_RETRY_AFTER_MAX_MS + 1), 0, 1e9, random)).toBeUndefined();
    expect(retryDelayMs(http(429, 5_000), 0, 4_000, random)).toBeUndefined();
    expect(retryDelayMs(new TimeoutError('total', 1), 0, 10_000, random)).toBeUndefined();
    expect(retryDelayMs(new TimeoutError('read', 1), 0, 10_000, random)).toBeDefined();
  });
});
