import { describe, expect, it } from 'vitest';
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
