import { describe, expect, it } from 'vitest';
import { ChatlaneError } from '../errors.ts';
import { FAILURE_REPLIES, failureKind, userFacingFailure } from './user-facing.ts';

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
