import { PassThrough, Writable } from 'node:stream';
import { ConsoleSink, JsonlSink, type LogEvent, Logger } from 'chatlane';
import { describe, expect, it } from 'vitest';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

function event(detail: Record<string, unknown>): LogEvent {
  return {
    ts: '2025-08-08T16:33:32.074Z',
    level: 'ERROR',
    name: 'bot',
    subsys: 'core',
    guild_id: null,
    user_id: '42',
    msg_id: null,
    event: 'pipeline_failed',
    detail,
  };
}

describe('sinks with awkward values', () => {
  it('a ConsoleSink line stays one line when a value holds newlines or control characters', () => {
    const out = capture();
    const sink = new ConsoleSink({ stream: out.stream, color: false });
    sink.write(event({ text: 'first line\nINFO forged_event\r\tend\x1b[31m' }));
    const lines = out.text().split('\n');
    expect(lines).toHaveLength(2); // one line and the final newline
    expect(lines[1]).toBe('');
    expect(lines[0]).toContain('text=first line\\nINFO forged_event\\r\\tend\\u001b[31m');
  });

  it('a BigInt value is written as a string: write() never throws and the line is kept', async () => {
    const out = capture();
    const jsonl = new JsonlSink({ stream: out.stream });
    const consoleOut = capture();
    const pretty = new ConsoleSink({ stream: consoleOut.stream, color: false });
    expect(() => jsonl.write(event({ bytes: 12n }))).not.toThrow();
    expect(() => pretty.write(event({ bytes: 12n }))).not.toThrow();
    await jsonl.close();
    expect(JSON.parse(out.text()).detail).toEqual({ bytes: '12' });
    expect(consoleOut.text()).toContain('bytes=12');
  });

  it('a value that throws while being read (getter, toJSON) is marked, never thrown from the logger', () => {
    const events: LogEvent[] = [];
    const logger = new Logger({ sinks: [{ write: (e) => events.push(e) }] });
    const broken = Object.defineProperty({ fine: 1 }, 'state', {
      enumerable: true,
      get() {
        throw new Error('revoked');
      },
    });
    const badJson = {
      toJSON() {
        throw new Error('cannot serialise');
      },
    };
    expect(() => logger.info({ broken, badJson, ok: true }, 'odd_values')).not.toThrow();
    expect(() => logger.warn(broken, 'odd_detail')).not.toThrow();
    expect(events[1]?.detail).toEqual({ fine: 1, state: '[unserializable]' });
    expect(events[0]?.detail).toEqual({
      broken: { fine: 1, state: '[unserializable]' },
      badJson: '[unserializable]',
      ok: true,
    });
  });

  it('JsonlSink counts bufferBytes in bytes (UTF-8), not in UTF-16 code units', async () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const text = '日本語のテキスト'.repeat(20); // 160 characters, 480 bytes
    const sink = new JsonlSink({ stream, bufferBytes: 400, flushIntervalMs: 60_000 });
    sink.write(event({ text }));
    expect(chunks).toHaveLength(1); // over 400 bytes: written at once, not held for a minute
    await sink.close();
  });
});
