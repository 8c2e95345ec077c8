import fc from 'fast-check';
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
    expect(parseStoredTail(items, 5).messages.map((m) => m.content)).toEqual(['bb:x', 'ccc:x']);
    expect(parseStoredTail(items, 6).messages).toHaveLength(3);
    expect(parseStoredTail([], 6)).toEqual({ messages: [], corrupt: [] });
  });

  it('skips and reports corrupt elements; the budget still holds (non-numeric counts included)', () => {
    const good = (content: string, tokens: number) => toStoredEntry({ role: 'user', content }, tokens);
    const items = [
      good('old', 2),
      'abc:{"role":"user","content":"x"}',
      good('mid', 3),
      '7:{nope',
      '1:42',
      good('new', 4),
    ];
    const { messages, corrupt } = parseStoredTail(items, 7);
    expect(messages.map((m) => m.content)).toEqual(['mid', 'new']);
    expect(corrupt.map((c) => c.reason)).toEqual([
      'element 4: not a chat message (Invalid input: expected object, received number)',
      'element 3: not JSON',
      'element 1: not "<tokens>:<json>"',
    ]);
  });

  it('never throws and never exceeds the budget, whatever the list holds (property)', () => {
    type Element = { raw?: string; tokens?: number };
    const element: fc.Arbitrary<Element> = fc.oneof(
      fc.string().map((raw) => ({ raw })),
      fc.nat(50).map((tokens) => ({ tokens })),
      fc.tuple(fc.nat(50), fc.json()).map(([tokens, json]) => ({ raw: `${tokens}:${json}` })),
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 30 }), fc.nat(200), (elements, budget) => {
        const items = elements.map(
          (e, i) => e.raw ?? toStoredEntry({ role: 'user', content: `#${i}` }, e.tokens ?? 0),
        );
        const { messages } = parseStoredTail(items, budget);
        let total = 0;
        for (const message of messages) {
          const index = Number(String(message.content).slice(1));
          const tokens = elements[index]?.tokens;
          expect(tokens).toBeTypeOf('number');
          total += tokens ?? 0;
        }
        expect(total).toBeLessThanOrEqual(budget);
      }),
    );
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
