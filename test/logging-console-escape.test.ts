import { PassThrough } from 'node:stream';
import { ConsoleSink, LOG_LEVELS, type LogEvent } from 'chatlane';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** What must never reach the terminal raw: C0/DEL, C1, U+2028/9, bidi controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The sink's own colour codes (SGR sequences), removed before checking a coloured line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the sink's own ESC sequences.
const OWN_SGR = /\x1b\[[0-9;]*m/g;

/** Strings rich in the characters that matter, plus any Unicode. */
const hostileChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u2028', '\u2029', '\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069'),
  fc.constantFrom('✖ ERROR ', 'INFO ', '\x1b[31m', '\x9b31m'),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
);
const text = fc.string({ unit: hostileChar, maxLength: 12 });
const anyString = fc.oneof(text, fc.string({ unit: 'binary', maxLength: 12 }));

const logEvent: fc.Arbitrary<LogEvent> = fc.record({
  ts: fc.oneof(
    anyString,
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  ),
  level: fc.constantFrom(...LOG_LEVELS),
  name: anyString,
  subsys: anyString,
  guild_id: fc.option(anyString),
  user_id: fc.option(anyString),
  msg_id: fc.option(anyString),
  event: anyString,
  detail: fc.dictionary(anyString, fc.oneof(anyString, fc.array(anyString, { maxLength: 2 }), fc.integer()), {
    maxKeys: 4,
  }),
});

function render(events: readonly LogEvent[], color: boolean): string {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const sink = new ConsoleSink({ stream, color });
  for (const event of events) sink.write(event);
  stream.end();
  return chunks.join('');
}

describe('ConsoleSink escapes everything that reaches the terminal', () => {
  it.each([false, true])('any events print exactly one clean line each (color: %s)', (color) => {
    fc.assert(
      fc.property(fc.array(logEvent, { minLength: 1, maxLength: 3 }), (events) => {
        const output = render(events, color);
        expect(output.endsWith('\n')).toBe(true);
        const lines = output.slice(0, -1).split('\n');
        expect(lines).toHaveLength(events.length);
        for (const line of lines) expect(line.replace(OWN_SGR, '')).not.toMatch(FORBIDDEN);
      }),
      { numRuns: 300 },
    );
  });

  it('escapes event names, bound fields and detail keys, not only values', () => {
    const output = render(
      [
        {
          ts: '2025-08-08T16:33:32.074Z',
          level: 'INFO',
          name: 'bot\u202e',
          subsys: 'core',
          guild_id: 'g\n16:33:32.075 ✖ ERROR   bot forged',
          user_id: 'u\u2028',
          msg_id: 'm\x85',
          event: 'ok\r\x1b[2K',
          detail: { 'key\nERROR': 'v', '\u2066k': '\u2069' },
        },
      ],
      false,
    );
    expect(output.split('\n')).toHaveLength(2);
    expect(output).toContain('bot\\u202e');
    expect(output).toContain('ok\\r\\u001b[2K');
    expect(output).toContain('guild=g\\n16:33:32.075 ✖ ERROR   bot forged');
    expect(output).toContain('user=u\\u2028');
    expect(output).toContain('msg=m\\u0085');
    expect(output).toContain('key\\nERROR=v');
    expect(output).toContain('\\u2066k=\\u2069');
  });
});
