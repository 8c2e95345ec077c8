import {
  AllModelsFailedError,
  ChatlaneError,
  FAILURE_REPLIES,
  failureKind,
  OpenRouterHttpError,
  userFacingFailure,
} from 'chatlane';
import { describe, expect, it } from 'vitest';

class HttpLike extends ChatlaneError {
  readonly status: number;
  constructor(status: number) {
    super('OPENROUTER_HTTP', `OpenRouter m: ${status} secret-detail`);
    this.status = status;
  }
}

describe('userFacingFailure', () => {
  it('maps failure kinds by code', () => {
    expect(failureKind(new ChatlaneError('OPENROUTER_ALL_MODELS_FAILED', 'x'))).toBe('unavailable');
    expect(failureKind(new ChatlaneError('OPENROUTER_TIMEOUT', 'x'))).toBe('timeout');
    expect(failureKind(new HttpLike(400))).toBe('rejected');
    expect(failureKind(new HttpLike(503))).toBe('unavailable');
    expect(failureKind(new Error('plain'))).toBe('unknown');
    expect(failureKind('not even an error')).toBe('unknown');
  });

  it('never leaks error details into the reply', () => {
    const reply = userFacingFailure(new HttpLike(500));
    expect(reply).toBe(FAILURE_REPLIES.unavailable);
    expect(reply).not.toContain('secret-detail');
    expect(reply).not.toContain('500');
  });
});

describe('failures that will not heal by themselves', () => {
  const http = (status: number, metadata?: Record<string, unknown>) =>
    new OpenRouterHttpError({
      status,
      body: '',
      model: 'vendor/model',
      error: { code: status, message: 'detail', ...(metadata ? { metadata } : {}) },
    });
  const inBand = (code: number) =>
    new OpenRouterHttpError({ status: 200, body: '', model: 'm', error: { code, message: 'x' } });

  it.each([
    [401, 'misconfigured'],
    [402, 'credits'],
    [403, 'misconfigured'],
    [404, 'unknown_model'],
  ] as const)('HTTP %i (and the same in-band code) → %s', (status, kind) => {
    expect(failureKind(http(status))).toBe(kind);
    expect(failureKind(inBand(status))).toBe(kind);
  });

  it('a 403 that flags the input (moderation) is a rejected message', () => {
    expect(failureKind(http(403, { reasons: ['violence'], flagged_input: 'x' }))).toBe('rejected');
  });

  it('every model failing the same lasting way is that kind; one model that may heal makes it unavailable', () => {
    const all = (errors: Record<string, Error>) => new AllModelsFailedError(errors);
    expect(failureKind(all({ a: http(404), b: http(404) }))).toBe('unknown_model');
    expect(failureKind(all({ a: http(403), b: http(401) }))).toBe('misconfigured');
    expect(failureKind(all({ a: http(404), b: http(503) }))).toBe('unavailable');
    expect(failureKind(all({ a: http(404), b: new ChatlaneError('OPENROUTER_CIRCUIT_OPEN', 'x') }))).toBe(
      'unavailable',
    );
    expect(failureKind(all({}))).toBe('unavailable');
  });

  it('the replies to lasting failures promise no recovery and carry no detail', () => {
    for (const kind of ['misconfigured', 'credits', 'unknown_model'] as const) {
      expect(FAILURE_REPLIES[kind]).not.toMatch(/try again|in a minute/i);
    }
    for (const status of [401, 402, 403, 404]) {
      const reply = userFacingFailure(http(status));
      expect(reply).not.toContain(String(status));
      expect(reply).not.toContain('vendor/model');
      expect(reply).not.toContain('detail');
    }
  });
});
