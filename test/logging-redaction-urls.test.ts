import { PassThrough } from 'node:stream';
import { ConsoleSink, JsonlSink, type LogEvent } from 'chatlane';
import { describe, expect, it } from 'vitest';

function event(detail: Record<string, unknown>): LogEvent {
  return {
    ts: '2025-08-08T16:33:32.074Z',
    level: 'INFO',
    name: 'bot',
    subsys: 'core',
    guild_id: null,
    user_id: null,
    msg_id: null,
    event: 'config_loaded',
    detail,
  };
}

/** The detail as each sink writes it: the JSONL line's `detail`, and the console line. */
async function throughBothSinks(
  detail: Record<string, unknown>,
): Promise<{ jsonl: string; console: string }> {
  const jsonlOut = new PassThrough();
  const consoleOut = new PassThrough();
  const chunks = { jsonl: [] as string[], console: [] as string[] };
  jsonlOut.on('data', (c: Buffer) => chunks.jsonl.push(c.toString()));
  consoleOut.on('data', (c: Buffer) => chunks.console.push(c.toString()));
  const jsonl = new JsonlSink({ stream: jsonlOut });
  new ConsoleSink({ stream: consoleOut, color: false }).write(event(detail));
  jsonl.write(event(detail));
  await jsonl.close();
  return {
    jsonl: JSON.stringify(JSON.parse(chunks.jsonl.join('')).detail),
    console: chunks.console.join(''),
  };
}

const PW = 'hunter2pw';

describe.each([
  [
    'redis://:pw@host (no user)',
    { redis: `redis://:${PW}@cache.internal:6379/0` },
    'redis://:[redacted]@cache.internal',
  ],
  [
    'rediss://user:pw@host',
    { redis: `rediss://default:${PW}@cache.example.com:6380` },
    'rediss://default:[redacted]@',
  ],
  ['redis://user:pw@host', { redis: `redis://user:${PW}@host` }, 'redis://user:[redacted]@host'],
  [
    'https://user:pw@host',
    { endpoint: `https://user:${PW}@example.com/v1` },
    'https://user:[redacted]@example.com/v1',
  ],
  ['a URL object', { endpoint: new URL(`redis://:${PW}@host:6379`) }, 'redis://:[redacted]@host:6379'],
  ['a rediss URL object', { endpoint: new URL(`rediss://u:${PW}@host`) }, 'rediss://u:[redacted]@host'],
  [
    'a password holding a raw @',
    { note: `connect to redis://:p@ss${PW}@host now` },
    'redis://:[redacted]@host now',
  ],
  [
    'a `_URL` config key, raw `/` and `@` in the password',
    { REDIS_URL: `redis://:a/b@${PW}@host` },
    'redis://:[redacted]@host',
  ],
  [
    'a `_URL` config key holding a token as user name',
    { GIT_REMOTE_URL: `https://${PW}@github.com/x` },
    'https://[redacted]@github.com/x',
  ],
  [
    'a camelCase url key holding a URL object',
    { config: { redisUrl: new URL(`redis://:${PW}@h`) } },
    'redis://:[redacted]@h',
  ],
  ['an env-style line', { line: `REDIS_URL=redis://:${PW}@host` }, 'REDIS_URL=redis://:[redacted]@host'],
  [
    'query-string keys',
    { url: `https://api.example.com/x?key=${PW}&token=${PW}&api_key=${PW}&page=2` },
    'https://api.example.com/x?key=[redacted]&token=[redacted]&api_key=[redacted]&page=2',
  ],
])('%s', (_name, detail, expected) => {
  it('is redacted by the JSONL sink and the console sink alike', async () => {
    const out = await throughBothSinks(detail);
    for (const written of [out.jsonl, out.console]) {
      expect(written).not.toContain(PW);
      expect(written).toContain(expected);
    }
  });
});

describe('keys the redactor keeps', () => {
  it('a detail key named __proto__ stays a key in both sinks', async () => {
    const out = await throughBothSinks(JSON.parse('{"__proto__": "kept-value"}') as Record<string, unknown>);
    expect(out.jsonl).toBe('{"__proto__":"kept-value"}');
    expect(out.console).toContain('__proto__=kept-value');
  });

  it('a URL key without credentials and a plain user name in free text are left alone', async () => {
    const out = await throughBothSinks({
      BASE_URL: 'https://example.com/@scope/pkg',
      note: 'ssh://git@host',
    });
    expect(out.jsonl).toBe('{"BASE_URL":"https://example.com/@scope/pkg","note":"ssh://git@host"}');
  });
});
