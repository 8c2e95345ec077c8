import {
  DiscordSender,
  FastPathRouter,
  InvalidOptionsError,
  type LoggerLike,
  MemorySessionStore,
  OpenRouterClient,
  PhaseTimer,
  SessionCache,
  SessionStoreError,
  SloMonitor,
  TemplateCache,
} from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';

/** Enough of a discord.js REST for the sender's constructor (nothing is sent in these tests). */
const rest = { post: () => undefined, on: () => undefined, off: () => undefined } as never;
const loadProfile = async () => ({});
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Builds a primitive from options deliberately off its declared type; closes it after the test. */
function build(make: (options: never) => object, options: object): void {
  const made = make(options as never) as { close?: () => Promise<void> };
  if (made.close) closers.push(() => made.close!());
}

const primitives: Array<{
  name: string;
  make: (options: never) => object;
  base: object;
  typo: [key: string, meant: string];
  nested?: [options: object, key: string, meant: string];
}> = [
  { name: 'PhaseTimer', make: (o) => new PhaseTimer(o), base: {}, typo: ['budget', 'budgets'] },
  {
    name: 'OpenRouterClient',
    make: (o) => new OpenRouterClient(o),
    base: { apiKey: 'k', models: ['m'] },
    typo: ['totalTimeout', 'totalTimeoutMs'],
    nested: [{ breaker: { cooldown: 5 } }, 'breaker.cooldown', 'breaker.cooldownMs'],
  },
  { name: 'TemplateCache', make: (o) => new TemplateCache(o), base: {}, typo: ['ttl', 'ttlMs'] },
  {
    name: 'FastPathRouter',
    make: (o) => new FastPathRouter(o),
    base: {},
    typo: ['budgetMS', 'budgetMs'],
    nested: [{ models: { simpel: 'a' } }, 'models.simpel', 'models.simple'],
  },
  {
    name: 'SessionCache',
    make: (o) => new SessionCache(o),
    base: { loadProfile },
    typo: ['storeTimeout', 'storeTimeoutMs'],
    nested: [{ historyBudgets: { dms: 5 } }, 'historyBudgets.dms', 'historyBudgets.dm'],
  },
  {
    name: 'DiscordSender',
    make: (o) => new DiscordSender(o),
    base: { rest },
    typo: ['editInterval', 'editIntervalMs'],
  },
  {
    name: 'SloMonitor',
    make: (o) => new SloMonitor(o),
    base: { evaluateEveryMs: 0 },
    typo: ['windowMaxSample', 'windowMaxSamples'],
    nested: [{ regression: { treshold: 2 } }, 'regression.treshold', 'regression.threshold'],
  },
];

function refusal(make: () => void): InvalidOptionsError {
  try {
    make();
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error('expected InvalidOptionsError');
}

describe.each(primitives)('$name options', ({ make, base, typo }) => {
  it('accepts its valid base options', () => {
    expect(() => build(make, base)).not.toThrow();
  });

  it('rejects an unknown key, naming it and the closest known key', () => {
    const [key, meant] = typo;
    const error = refusal(() => build(make, { ...base, [key]: 1 }));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain(`\`${key}\`: unknown option, did you mean \`${meant}\`?`);
  });

  it('rejects a logger without the four LoggerLike methods', () => {
    const error = refusal(() => build(make, { ...base, logger: { info: () => undefined } }));
    expect(error.message).toMatch(
      /`logger`: Expected a logger with debug\(\), info\(\), warn\(\) and error\(\)/,
    );
  });
});

const withNested = primitives.filter((p) => p.nested !== undefined);

describe.each(withNested)('$name nested options', ({ make, base, nested }) => {
  it('rejects an unknown key of a nested option object', () => {
    const [options, key, meant] = nested!;
    const error = refusal(() => build(make, { ...base, ...options }));
    expect(error.message).toContain(`\`${key}\`: unknown option, did you mean \`${meant}\`?`);
  });
});

describe('enum options', () => {
  it('list the allowed values and the nearest one', () => {
    const error = refusal(
      () => new FastPathRouter({ emergency: { path: 'fats', complexity: 'simple' } as never }),
    );
    expect(error.issues).toEqual([
      '`emergency.path`: expected one of "fast", "full", got "fats" (string) (did you mean "fast"?)',
    ]);
    const literal = refusal(() => new FastPathRouter({ emergency: 'heurstic' as never }));
    expect(literal.message).toContain('`emergency`: expected one of "heuristic", got "heurstic" (string)');
  });
});

describe('event names are typed on every primitive', () => {
  it('a misspelled event name does not compile', async () => {
    const off: Array<() => void> = [];
    const timer = new PhaseTimer();
    // @ts-expect-error 'phaseEnd' is not an event of PhaseTimer
    off.push(timer.on('phaseEnd', () => undefined));
    await using templates = new TemplateCache();
    // @ts-expect-error 'compiled' is not an event of TemplateCache
    off.push(templates.on('compiled', () => undefined));
    const router = new FastPathRouter();
    // @ts-expect-error 'decisions' is not an event of FastPathRouter
    off.push(router.on('decisions', () => undefined));
    await using sender = new DiscordSender({ rest });
    // @ts-expect-error 'rateLimit' is not an event of DiscordSender
    off.push(sender.on('rateLimit', () => undefined));
    await using llm = new OpenRouterClient({ apiKey: 'k', models: ['m'] });
    // @ts-expect-error 'breakerOpened' is not an event of OpenRouterClient
    off.push(llm.on('breakerOpened', () => undefined));
    await using sessions = new SessionCache({ loadProfile });
    // @ts-expect-error 'storeErrors' is not an event of SessionCache
    off.push(sessions.on('storeErrors', () => undefined));
    await using slo = new SloMonitor({ evaluateEveryMs: 0 });
    // @ts-expect-error 'alerts' is not an event of SloMonitor
    off.push(slo.on('alerts', () => undefined));
    for (const unsubscribe of off) unsubscribe();
    expect(off).toHaveLength(7);
  });
});

function recordingLogger(): {
  logger: LoggerLike;
  lines: Array<[level: string, event: string, detail: object]>;
} {
  const lines: Array<[string, string, object]> = [];
  const at = (level: string) => (detail: object, event: string) => void lines.push([level, event, detail]);
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** A store that cannot read histories. */
class FailingReadStore extends MemorySessionStore<unknown> {
  override async getHistory(): Promise<never> {
    throw new SessionStoreError('getHistory', new Error('connection lost'));
  }
}

describe('each primitive logs its own notable events through its logger option', () => {
  it('PhaseTimer: phase_end (debug) and slo_breach (warn)', () => {
    const { logger, lines } = recordingLogger();
    const clock = new ManualClock(0);
    const timer = new PhaseTimer({ corrId: 'cafef00d', logger, clock, budgets: { llm: 5 } });
    timer.start('llm');
    clock.advance(10);
    timer.end('llm');
    expect(lines).toEqual([
      ['debug', 'phase_end', { corr_id: 'cafef00d', phase: 'llm', duration_ms: 10 }],
      ['warn', 'slo_breach', { corr_id: 'cafef00d', phase: 'llm', duration_ms: 10, budget_ms: 5 }],
    ]);
  });

  it('TemplateCache: template_compiled (debug)', async () => {
    const { logger, lines } = recordingLogger();
    await using templates = new TemplateCache({ logger });
    await templates.compile('greeting', 'Hello {{name}}');
    expect(lines).toEqual([['debug', 'template_compiled', expect.objectContaining({ id: 'greeting' })]]);
  });

  it('FastPathRouter: router_input_error (warn) when the classifier fails', async () => {
    const { logger, lines } = recordingLogger();
    const classify = async () => {
      throw new Error('classifier down');
    };
    const router = new FastPathRouter({ logger, classify });
    await router.route({ text: 'hello', isDM: true });
    expect(lines.map(([level, event]) => `${level}:${event}`)).toEqual(['warn:router_input_error']);
  });

  it('SessionCache: session_store_error (warn) when the store fails and the cache degrades', async () => {
    const { logger, lines } = recordingLogger();
    await using sessions = new SessionCache({ loadProfile, store: new FailingReadStore(), logger });
    await sessions.getHistory('dm:1', { kind: 'dm' });
    expect(lines).toEqual([
      ['warn', 'session_store_error', expect.objectContaining({ operation: 'getHistory' })],
    ]);
  });

  it('SloMonitor: slo_breach (warn) and slo_recovered (info)', async () => {
    const { logger, lines } = recordingLogger();
    const options = {
      logger,
      evaluateEveryMs: 0,
      minSamples: 1,
      consecutiveBreaches: 1,
      consecutiveRecoveries: 1,
    };
    const regression = { enabled: false };
    await using slo = new SloMonitor({ ...options, regression, targets: { llm: 100 }, windowMaxSamples: 1 });
    slo.record('llm', 500);
    slo.evaluate();
    slo.record('llm', 50);
    slo.evaluate();
    expect(lines.map(([level, event]) => `${level}:${event}`)).toEqual([
      'warn:slo_breach',
      'info:slo_recovered',
    ]);
  });
});
