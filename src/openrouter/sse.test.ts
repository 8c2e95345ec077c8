import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseTooLargeError } from './errors.ts';
import { SseParser } from './sse.ts';

function feedAll(parts: (string | Uint8Array)[]): string[] {
  const parser = new SseParser();
  const out: string[] = [];
  for (const part of parts) out.push(...parser.feed(part));
  out.push(...parser.end());
  return out;
}

describe('SseParser', () => {
  it('parses events split anywhere across chunks', () => {
    const text = 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < text.length; cut += 1) {
      expect(feedAll([text.slice(0, cut), text.slice(cut)])).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
    }
  });

  it('handles CRLF and CR line ends, also a CRLF split between chunks', () => {
    expect(feedAll(['data: x\r\n\r\ndata: y\r\r'])).toEqual(['x', 'y']);
    expect(feedAll(['data: x\r', '\n\r', '\ndata: y\n\n'])).toEqual(['x', 'y']);
  });

  it('joins multi-line data with \\n and ignores comments and other fields', () => {
    const events = feedAll([
      ': OPENROUTER PROCESSING\n\n',
      'event: message\nid: 1\ndata: a\ndata: b\n\n',
      ':x\n\n',
    ]);
    expect(events).toEqual(['a\nb']);
  });

  it('keeps a value without a space after the colon; drops an event whose data is empty (WHATWG)', () => {
    expect(feedAll(['data:raw\n\ndata\n\n'])).toEqual(['raw']);
    expect(feedAll(['data:\n\ndata: {}\n\n'])).toEqual(['{}']);
    expect(feedAll(['data:\ndata:\n\n'])).toEqual(['\n']);
  });

  it('decodes UTF-8 sequences split across byte chunks', () => {
    const bytes = new TextEncoder().encode('data: héllo 👋\n\n');
    const parts = [bytes.slice(0, 8), bytes.slice(8, 14), bytes.slice(14)];
    expect(feedAll(parts)).toEqual(['héllo 👋']);
  });

  it('dispatches a last event that lacks its blank line at end()', () => {
    expect(feedAll(['data: tail'])).toEqual(['tail']);
  });
});

describe('SseParser on hostile input', () => {
  it('scans each byte for a line end at most twice, however the input is cut (linear, not quadratic)', () => {
    const line = `data: ${'x'.repeat(64 * 1024)}\n\n`;
    const bytes = new TextEncoder().encode(`${line}data: a\ndata: b\n\n${line}`);
    for (const size of [1, 7, 4096, 64 * 1024]) {
      const parser = new SseParser();
      const events: string[] = [];
      for (let at = 0; at < bytes.length; at += size)
        events.push(...parser.feed(bytes.subarray(at, at + size)));
      expect(events).toHaveLength(3);
      expect(parser.scannedBytes).toBeLessThanOrEqual(2 * bytes.length);
    }
  });

  it('rejects an event past maxEventBytes as soon as it passes the limit, before its line ends', () => {
    const parser = new SseParser({ maxEventBytes: 1024, model: 'm' });
    expect(parser.feed(`data: ${'x'.repeat(1000)}`)).toEqual([]);
    const error = (() => {
      try {
        parser.feed('x'.repeat(100));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({
      code: 'OPENROUTER_RESPONSE_TOO_LARGE',
      what: 'event',
      limitBytes: 1024,
      model: 'm',
    });
    expect((error as ResponseTooLargeError).retryable).toBe(false);
  });

  it('counts every data line of an event, and comment lines, against maxEventBytes', () => {
    const many = new SseParser({ maxEventBytes: 100 });
    expect(() => many.feed(`${'data: 0123456789\n'.repeat(12)}\n`)).toThrow(ResponseTooLargeError);
    const comment = new SseParser({ maxEventBytes: 100 });
    expect(() => comment.feed(`:${'x'.repeat(200)}\n`)).toThrow(ResponseTooLargeError);
    const fits = new SseParser({ maxEventBytes: 100 });
    expect(fits.feed(`${'data: 0123456789\n'.repeat(8)}\n`)).toHaveLength(1);
  });
});

/** A line end, one per generated stream (mixing them makes `\r` + `\n` one CRLF). */
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
/** A data line's value: any text without a line end. */
const value = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ''));
const sseEvent = fc.record({
  comment: fc.boolean(),
  lines: fc.array(value, { minLength: 1, maxLength: 3 }),
});

describe('SseParser, property-based', () => {
  it('any split of a valid SSE byte stream (inside UTF-8 sequences and CRLFs too) yields the same events', () => {
    fc.assert(
      fc.property(
        fc.array(sseEvent, { maxLength: 6 }),
        lineEnd,
        fc.array(fc.nat(), { maxLength: 12 }),
        (events, end, cuts) => {
          const text = events
            .map(({ comment, lines }) => {
              const head = comment ? `: keep-alive${end}` : '';
              return `${head}${lines.map((line) => `data: ${line}${end}`).join('')}${end}`;
            })
            .join('');
          const bytes = new TextEncoder().encode(text);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const parts: Uint8Array[] = [];
          let from = 0;
          for (const point of [...points, bytes.length]) {
            parts.push(bytes.subarray(from, point));
            from = point;
          }
          const expected = events.map(({ lines }) => lines.join('\n')).filter((data) => data !== '');
          expect(feedAll(parts)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
