import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../errors.ts';
import { prepareMessage, tailStart } from './history.ts';
import { parseInvalidation, parseStoredTail, toStoredEntry } from './redis-codec.ts';

const tokens = [4, 3, 2, 1];
const at = (i: number) => tokens[i]!;

describe('tailStart', () => {
  it('keeps the newest messages within the budget, boundary inclusive', () => {
    expect(tailStart(4, at, 10)).toBe(0);
    expect(tailStart(4, at, 9)).toBe(1);
    expect(tailStart(4, at, 3)).toBe(2);
    expect(tailStart(4, at, 0)).toBe(4);
    expect(tailStart(0, at, 10)).toBe(0);
  });

  it('keepNewest keeps an oversized newest message', () => {
    const big = [1, 50];
    expect(tailStart(2, (i) => big[i]!, 10)).toBe(2);
    expect(tailStart(2, (i) => big[i]!, 10, true)).toBe(1);
  });
});

describe('prepareMessage', () => {
  it('copies, freezes and counts with overhead (rounded up)', () => {
    const original = { role: 'user' as const, content: 'abc', name: 'x' };
    const prepared = prepareMessage(original, () => 2.2, 4);
    expect(prepared.tokens).toBe(7);
    expect(prepared.message).toEqual(original);
    expect(prepared.message).not.toBe(original);
    expect(Object.isFrozen(prepared.message)).toBe(true);
  });

  it('rejects a counter returning NaN or a negative number', () => {
    const message = { role: 'user' as const, content: 'abc' };
    expect(() => prepareMessage(message, () => Number.NaN, 0)).toThrow(InvalidOptionsError);
    expect(() => prepareMessage(message, () => -1, 0)).toThrow(/countTokens/);
    expect(() => prepareMessage(null as never, () => 1, 0)).toThrow(InvalidOptionsError);
  });
});

describe('redis codec', () => {
  it('round-trips stored entries and parses only the tail that fits', () => {
    const items = ['a', 'bb', 'ccc'].map((content, i) =>
      toStoredEntry({ role: 'user', content: `${content}:x` }, i + 1),
    );
    expect(parseStoredTail(items, 5).map((m) => m.content)).toEqual(['bb:x', 'ccc:x']);
    expect(parseStoredTail(items, 6)).toHaveLength(3);
    expect(parseStoredTail([], 6)).toEqual([]);
  });

  it('ignores malformed invalidation messages', () => {
    expect(parseInvalidation('not json')).toBeUndefined();
    expect(parseInvalidation('{"origin":"o","scope":"planet","id":"x","userIds":[]}')).toBeUndefined();
    expect(parseInvalidation('{"origin":"o","scope":"user","id":"x"}')).toBeUndefined();
    expect(parseInvalidation('{"origin":"o","scope":"guild","id":"g","userIds":["a",1]}')).toEqual({
      origin: 'o',
      scope: 'guild',
      id: 'g',
      userIds: ['a'],
    });
  });
});
