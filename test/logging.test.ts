import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  ConsoleSink,
  createRedactor,
  JsonlSink,
  type LogEvent,
  Logger,
  logPipelineComplete,
  PhaseTimer,
} from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const JSONL_KEYS = ['ts', 'level', 'name', 'subsys', 'guild_id', 'user_id', 'msg_id', 'event', 'detail'];
const FIXED_TS = Date.UTC(2025, 7, 8, 16, 33, 32, 74);

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

let dir: string;
const originalTz = process.env.TZ;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'chatlane-log-'));
  process.env.TZ = 'UTC';
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  process.env.TZ = originalTz;
});

describe('JsonlSink', () => {
  it('writes exactly the key set, one line per event, ts in ISO UTC with ms', async () => {
    const path = join(dir, 'a.jsonl');
    const sink = new JsonlSink({ path });
    const logger = new Logger({
      sinks: [sink],
      name: 'discord-bot.Router',
      clock: new ManualClock(FIXED_TS),
    });
    const timer = new PhaseTimer({ corrId: 'a1b2c3d4' });
    timer.start('router');
    timer.end('router');
    logPipelineComplete(logger, timer.summary(), {
      guildId: '1393753694377480324',
      userId: '2542',
      msgId: '1403',
    });
    logger.warn({ reason: 'slow' }, 'slo_breach');
    await logger.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as LogEvent;
    expect(Object.keys(first)).toEqual(JSONL_KEYS);
    expect(first).toMatchObject({
      ts: '2025-08-08T16:33:32.074Z',
      level: 'INFO',
      name: 'discord-bot.Router',
      subsys: 'core',
      guild_id: '1393753694377480324',
      user_id: '2542',
      msg_id: '1403',
      event: 'pipeline_complete',
    });
    expect(first.detail.corr_id).toBe('a1b2c3d4');
    expect(typeof first.detail.total_duration_ms).toBe('number');
    expect(Object.keys(first.detail.phases as object)).toEqual(['router']);
    const second = JSON.parse(lines[1]!) as LogEvent;
    expect(Object.keys(second)).toEqual(JSONL_KEYS);
    expect(second).toMatchObject({ level: 'WARNING', guild_id: null, user_id: null, msg_id: null });
  });

  it('buffers lines and writes them whole, on size or after the flush interval', async () => {
    vi.useFakeTimers();
    try {
      const { stream, text } = capture();
      const sink = new JsonlSink({ stream, bufferBytes: 10_000, flushIntervalMs: 250 });
      const logger = new Logger({ sinks: [sink], clock: new ManualClock(FIXED_TS) });
      for (let i = 0; i < 5; i++) logger.info({ i, text: 'x'.repeat(100) }, 'tick');
      expect(text()).toBe('');
      vi.advanceTimersByTime(250);
      await Promise.resolve();
      const lines = text().split('\n').filter(Boolean);
      expect(lines).toHaveLength(5);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      const small = new JsonlSink({ stream, bufferBytes: 1 });
      new Logger({ sinks: [small] }).info({}, 'immediate');
      expect(text()).toContain('"event":"immediate"');
      await sink.close();
      await small.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never tears a line when many events are written', async () => {
    const path = join(dir, 'many.jsonl');
    const sink = new JsonlSink({ path, bufferBytes: 4096 });
    const logger = new Logger({ sinks: [sink] });
    for (let i = 0; i < 5000; i++) logger.info({ i, payload: 'é✔'.repeat(i % 50) }, 'bulk');
    await logger.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5000);
    expect(lines.map((l) => (JSON.parse(l) as LogEvent).detail.i)).toEqual(
      Array.from({ length: 5000 }, (_, i) => i),
    );
  });

  it('rejects bad options with a typed error', () => {
    expect(() => new JsonlSink({})).toThrow(/exactly one of `path` or `stream`/);
    expect(() => new JsonlSink({ path: 'x', bufferBytes: 0 })).toThrow(/bufferBytes/);
  });
});

describe('redaction', () => {
  it('keeps API keys, tokens and configured secrets out of every sink', async () => {
    const apiKey = 'sk-or-v1-0123456789abcdef0123456789abcdef';
    const discordToken = 'MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
    const custom = 'hunter2-very-secret';
    const path = join(dir, 'secrets.jsonl');
    const jsonl = new JsonlSink({ path });
    const { stream, text } = capture();
    const logger = new Logger({ sinks: [jsonl, new ConsoleSink({ stream })], secrets: [custom] });
    logger.info({ apiKey, headers: { Authorization: `Bearer ${apiKey}` }, token: discordToken }, 'config');
    logger.error({ error: new Error(`request failed with key ${apiKey}`) }, 'request_failed');
    logger.info({ note: `the password is ${custom}`, nested: { deeper: [{ botToken: 'abc' }] } }, 'note');
    logger.info({ message: `leaked ${discordToken} in text` }, 'text');
    await logger.close();
    const output = readFileSync(path, 'utf8') + text();
    for (const secret of [apiKey, discordToken, custom, 'abc"']) expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');
    expect(output).toContain('request failed with key [redacted]');
  });

  it('redacts secret-named keys but keeps token counts and phase names', () => {
    const redact = createRedactor();
    const out = redact({
      token: 'a',
      api_key: 'b',
      'X-Api-Key': 'c',
      botToken: 'd',
      client_secret: 'e',
      Authorization: 'f',
      max_tokens: 256,
      prompt_tokens: 10,
      phases: { llm_first_token: 412.5 },
    });
    expect(out).toEqual({
      token: '[redacted]',
      api_key: '[redacted]',
      'X-Api-Key': '[redacted]',
      botToken: '[redacted]',
      client_secret: '[redacted]',
      Authorization: '[redacted]',
      max_tokens: 256,
      prompt_tokens: 10,
      phases: { llm_first_token: 412.5 },
    });
  });
});

describe('ConsoleSink', () => {
  function event(overrides: Partial<LogEvent>): LogEvent {
    return {
      ts: '2025-08-08T16:33:32.074Z',
      level: 'INFO',
      name: 'discord-bot.Router',
      subsys: 'core',
      guild_id: null,
      user_id: null,
      msg_id: null,
      event: 'route_decided',
      detail: {},
      ...overrides,
    };
  }

  it('prints aligned plain lines with icons, local time and truncation (no colour)', () => {
    const { stream, text } = capture();
    const sink = new ConsoleSink({ stream, color: false });
    sink.write(
      event({
        event: 'pipeline_complete',
        user_id: '42',
        detail: { corr_id: 'a1b2c3d4', total_duration_ms: 812.5 },
      }),
    );
    sink.write(event({ level: 'WARNING', event: 'slo_breach', detail: { phase: 'llm', p95: 2100 } }));
    sink.write(
      event({ level: 'ERROR', name: 'chatlane.openrouter.client', event: 'all_models_failed', detail: {} }),
    );
    sink.write(event({ level: 'DEBUG', detail: { text: 'y'.repeat(130) } }));
    sink.write(event({ event: 'route_decided', detail: { path: 'fast', skip: { rag: true } } }));
    expect(text()).toMatchInlineSnapshot(`
      "16:33:32.074 ✔ INFO     discord-bot.Router pipeline_complete      user=42  corr_id=a1b2c3d4  total_duration_ms=812.5
      16:33:32.074 ⚠ WARNING  discord-bot.Router slo_breach             phase=llm  p95=2100
      16:33:32.074 ✖ ERROR    chatlane.openrout… all_models_failed
      16:33:32.074 ℹ DEBUG    discord-bot.Router route_decided          text=yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…(+10)
      16:33:32.074 ℹ INFO     discord-bot.Router route_decided          path=fast  skip={"rag":true}
      "
    `);
  });

  it('colours by level when asked, and stays plain when not a TTY or NO_COLOR is set', () => {
    const coloured = capture();
    new ConsoleSink({ stream: coloured.stream, color: true }).write(event({ level: 'WARNING' }));
    expect(coloured.text()).toContain('\x1b[33m');
    const notTty = capture();
    new ConsoleSink({ stream: notTty.stream }).write(event({}));
    expect(notTty.text()).not.toContain('\x1b[');
    const tty = capture();
    Object.assign(tty.stream, { isTTY: true });
    const previous = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      new ConsoleSink({ stream: tty.stream }).write(event({}));
    } finally {
      if (previous === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = previous;
    }
    expect(tty.text()).not.toContain('\x1b[');
  });

  it('drops events below its level', () => {
    const { stream, text } = capture();
    const sink = new ConsoleSink({ stream, level: 'WARNING' });
    sink.write(event({ level: 'INFO' }));
    sink.write(event({ level: 'ERROR' }));
    expect(text().trim().split('\n')).toHaveLength(1);
  });
});

describe('Logger', () => {
  it('binds fields on a child and lifts guild/user/msg ids out of detail', () => {
    const seen: LogEvent[] = [];
    const logger = new Logger({ sinks: [{ write: (e) => seen.push(e) }], name: 'bot' });
    logger
      .child({ name: 'bot.Router', guild_id: '1' })
      .info({ user_id: 2, msg_id: '3', path: 'fast' }, 'routed');
    expect(seen[0]).toMatchObject({
      name: 'bot.Router',
      guild_id: '1',
      user_id: '2',
      msg_id: '3',
      detail: { path: 'fast' },
    });
  });

  it('keeps writing to healthy sinks when one throws, and honours its level', () => {
    const seen: string[] = [];
    const logger = new Logger({
      level: 'INFO',
      sinks: [
        {
          write: () => {
            throw new Error('disk full');
          },
        },
        { write: (e) => seen.push(e.event) },
      ],
    });
    logger.debug({}, 'hidden');
    logger.info({}, 'shown');
    expect(seen).toEqual(['shown']);
  });

  it('accepts a pino-style logger wherever a LoggerLike is taken', () => {
    const lines: string[] = [];
    const pinoLike = {
      debug: (o: object, m: string) => lines.push(`debug ${m} ${JSON.stringify(o)}`),
      info: (o: object, m: string) => lines.push(`info ${m} ${JSON.stringify(o)}`),
      warn: (o: object, m: string) => lines.push(`warn ${m} ${JSON.stringify(o)}`),
      error: (o: object, m: string) => lines.push(`error ${m} ${JSON.stringify(o)}`),
    };
    const timer = new PhaseTimer({ corrId: 'abcdef01', logger: pinoLike });
    timer.start('x');
    timer.end('x');
    logPipelineComplete(pinoLike, timer.summary());
    expect(lines[0]).toMatch(/^debug phase_end/);
    expect(lines[1]).toMatch(/^info pipeline_complete .*"corr_id":"abcdef01"/);
  });
});
