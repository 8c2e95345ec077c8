import { once } from 'node:events';
import {
  ClosedError,
  type DiscordSender,
  type LoggerLike,
  OpenRouterClient,
  PhaseTimer,
  SessionCache,
  SloMonitor,
  TemplateCache,
} from 'chatlane';
import { FakeOpenRouter, snowflake } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const fx = useDiscordFixture({ token: 'lifecycle-token' });
const loadProfile = async () => ({});
let fake: FakeOpenRouter | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function recordingLogger(): {
  logger: LoggerLike;
  lines: Array<[level: string, event: string, detail: object]>;
} {
  const lines: Array<[string, string, object]> = [];
  const at = (level: string) => (detail: object, event: string) => void lines.push([level, event, detail]);
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

interface Closable {
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Each primitive that holds resources, and a call that must fail with `ClosedError` once it is closed. */
const holders: Array<{ name: string; make: () => Closable; use: (made: never) => Promise<unknown> }> = [
  {
    name: 'OpenRouterClient',
    make: () => new OpenRouterClient({ apiKey: 'k', models: ['m'] }),
    use: (llm: OpenRouterClient) => llm.chat({ messages: [{ role: 'user', content: 'hi' }] }),
  },
  {
    name: 'TemplateCache',
    make: () => new TemplateCache(),
    use: (templates: TemplateCache) => templates.compile('t', 'Hello {{name}}'),
  },
  {
    name: 'SessionCache',
    make: () => new SessionCache({ loadProfile }),
    use: async (sessions: SessionCache<object>) => sessions.getHistory('dm:1', { kind: 'dm' }),
  },
  {
    name: 'DiscordSender',
    make: () => fx.makeSender(),
    use: (sender: DiscordSender) => sender.send(snowflake(), 'hello'),
  },
  {
    name: 'SloMonitor',
    make: () => new SloMonitor(),
    use: async (slo: SloMonitor) => slo.evaluate(),
  },
];

describe.each(holders)('$name lifecycle', ({ make, use }) => {
  it('close() returns a promise and is idempotent', async () => {
    const made = make();
    const first = made.close();
    expect(first).toBeInstanceOf(Promise);
    await Promise.all([first, made.close()]);
    await expect(made.close()).resolves.toBeUndefined();
    await expect(use(made as never)).rejects.toBeInstanceOf(ClosedError);
  });

  it('`await using` closes it at the end of the scope', async () => {
    let kept: Closable | undefined;
    {
      await using made = make();
      kept = made;
    }
    await expect(use(kept as never)).rejects.toBeInstanceOf(ClosedError);
  });
});

describe('logging of the primitives that need a server', () => {
  it('OpenRouterClient: openrouter_configuration_error (error) with the call context merged in', async () => {
    fake = await FakeOpenRouter.start();
    fake.script('m', { status: 401 });
    const { logger, lines } = recordingLogger();
    await using llm = new OpenRouterClient({ apiKey: 'k', models: ['m'], baseUrl: fake.baseUrl, logger });
    const call = llm.chat(
      { messages: [{ role: 'user', content: 'hi' }] },
      { context: { corr_id: 'cafef00d' } },
    );
    await expect(call).rejects.toThrow();
    const loud = lines.find(([, event]) => event === 'openrouter_configuration_error');
    expect(loud?.[0]).toBe('error');
    expect(loud?.[2]).toMatchObject({ model: 'm', status: 401, reason: 'auth', corr_id: 'cafef00d' });
    expect(loud?.[2]).not.toHaveProperty('context');
  });

  it('DiscordSender: discord_rate_limited (warn)', async () => {
    const channel = snowflake();
    const { logger, lines } = recordingLogger();
    const sender = fx.makeSender({ logger });
    fx.discord.script429({ method: 'POST', path: `/channels/${channel}/messages`, retryAfterMs: 50 });
    await sender.send(channel, 'after the limit');
    const limited = lines.filter(([, event]) => event === 'discord_rate_limited');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toEqual([
      'warn',
      'discord_rate_limited',
      expect.objectContaining({ channelId: channel }),
    ]);
  });
});

describe('a throwing listener or logger', () => {
  it('is reported as a process warning with the error as cause, and the work goes on', async () => {
    const bug = new Error('listener bug');
    const timer = new PhaseTimer();
    timer.on('phase', () => {
      throw bug;
    });
    const warned = once(process, 'warning');
    timer.start('llm');
    expect(timer.end('llm')).toBeGreaterThanOrEqual(0);
    expect(timer.summary().phases).toHaveProperty('llm');
    const [warning] = (await warned) as [Error];
    expect(warning.name).toBe('ChatlaneListenerWarning');
    expect(warning.message).toContain("'phase'");
    expect(warning.cause).toBe(bug);
  });

  it('a logger that throws is reported the same way; the compile still resolves', async () => {
    const broken = new Error('log destination broke');
    const fail = () => {
      throw broken;
    };
    await using templates = new TemplateCache({
      logger: { debug: fail, info: fail, warn: fail, error: fail },
    });
    const warned = once(process, 'warning');
    const compiled = await templates.compile('t', 'Hello {{name}}');
    expect(compiled.render({ name: 'Ada' })).toBe('Hello Ada');
    const [warning] = (await warned) as [Error];
    expect(warning.message).toContain("The logger of the 'compile' event threw");
    expect(warning.cause).toBe(broken);
  });
});
