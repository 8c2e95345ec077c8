import { AbortError, ChatlaneError, ClosedError, InvalidOptionsError, isChatlaneError } from 'chatlane';
import { describe, expect, it } from 'vitest';

describe('errors', () => {
  it('every error has a stable code and is recognised by the guard', () => {
    const errors = [
      new AbortError(),
      new ClosedError('SessionCache'),
      new InvalidOptionsError('options', ['`x`: bad']),
      new ChatlaneError('DISCORD_HTTP', 'custom', { retryable: true }),
    ];
    expect(errors.map((e) => e.code)).toEqual(['ABORTED', 'CLOSED', 'INVALID_OPTIONS', 'DISCORD_HTTP']);
    for (const error of errors) expect(isChatlaneError(error)).toBe(true);
    expect(errors[3]!.retryable).toBe(true);
    expect(errors[0]!.retryable).toBe(false);
    expect(errors[1]!.name).toBe('ClosedError');
  });

  it('the guard recognises an error from a second copy of the package by its brand', () => {
    const foreign = new Error('from another copy');
    Object.defineProperty(foreign, Symbol.for('chatlane.error'), { value: true });
    expect(isChatlaneError(foreign)).toBe(true);
    expect(isChatlaneError(new Error('plain'))).toBe(false);
    expect(isChatlaneError(null)).toBe(false);
    expect(isChatlaneError('CLOSED')).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('socket hang up');
    expect(new AbortError('stopped', { cause }).cause).toBe(cause);
  });
});
