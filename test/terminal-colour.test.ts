import { PassThrough } from 'node:stream';
import { ConsoleSink, type LogEvent, SloMonitor } from 'chatlane';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
});

const event: LogEvent = {
  ts: '2025-01-01T00:00:00.000Z',
  level: 'WARNING',
  name: 'bot',
  subsys: 'test',
  guild_id: null,
  user_id: null,
  msg_id: null,
  event: 'slow_reply',
  detail: {},
};

function consoleLine(stream: PassThrough & { isTTY?: boolean }): string {
  new ConsoleSink({ stream }).write(event);
  return String(stream.read() ?? '');
}

describe('terminal colour follows FORCE_COLOR / NO_COLOR in ConsoleSink and the SLO dashboard alike', () => {
  it('FORCE_COLOR colours output that is not a TTY (CI logs)', () => {
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', '1');
    expect(consoleLine(new PassThrough())).toContain('\u001b[33m');
    const monitor = new SloMonitor();
    monitor.record('llm', 10);
    expect(monitor.renderDashboard()).toContain('\u001b[');
    monitor.close();
  });

  it('FORCE_COLOR=0 and a non-empty NO_COLOR keep even a TTY plain', () => {
    vi.stubEnv('FORCE_COLOR', '0');
    expect(consoleLine(Object.assign(new PassThrough(), { isTTY: true }))).not.toContain('\u001b[');
    vi.stubEnv('FORCE_COLOR', undefined);
    vi.stubEnv('NO_COLOR', '1');
    expect(consoleLine(Object.assign(new PassThrough(), { isTTY: true }))).not.toContain('\u001b[');
  });
});
