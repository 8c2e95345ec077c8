import { createRedactor } from 'chatlane';
import { describe, expect, it } from 'vitest';

const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';

describe('redaction of nested values', () => {
  it('keeps an Error cause chain, each message redacted', () => {
    const inner = new Error(`upstream said: bad key ${KEY}`);
    const outer = new Error('session store failed', { cause: inner });
    const out = createRedactor()({ error: outer }) as { error: { cause?: { message: string } } };
    expect(out.error.cause?.message).toBe('upstream said: bad key [redacted]');
    expect(JSON.stringify(out)).not.toContain(KEY);
  });

  it('redacts secret query parameters and passwords in URLs, strings and URL objects alike', () => {
    const redact = createRedactor();
    const url = 'https://api.example.com/v1/models?key=AIzaSyA-1234&api_key=abcd1234&limit=5';
    expect(redact(url)).toBe('https://api.example.com/v1/models?key=[redacted]&api_key=[redacted]&limit=5');
    expect(redact({ endpoint: new URL(url) })).toEqual({
      endpoint: 'https://api.example.com/v1/models?key=[redacted]&api_key=[redacted]&limit=5',
    });
    expect(redact('GET https://bot:hunter2@example.com/x?access_token=zzz9&page=2')).toBe(
      'GET https://bot:[redacted]@example.com/x?access_token=[redacted]&page=2',
    );
  });

  it('writes a Date as its ISO string, not as an empty object', () => {
    const at = new Date('2025-08-08T16:33:32.074Z');
    expect(createRedactor()({ at })).toEqual({ at: '2025-08-08T16:33:32.074Z' });
  });
});
