import { AbortError, FastPathRouter, InvalidOptionsError, type RouteMessage } from 'chatlane';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});

const dm = (text: string, extra: Partial<RouteMessage> = {}): RouteMessage => ({
  text,
  isDM: true,
  ...extra,
});
const guild = (text: string, extra: Partial<RouteMessage> = {}): RouteMessage => ({
  text,
  isDM: false,
  guildId: 'g1',
  ...extra,
});

describe('FastPathRouter: heuristics', () => {
  it.each([
    [
      'DM short plain text → fast',
      dm('can you suggest a name for my cat'),
      'fast',
      'simple',
      'dm-short-text',
    ],
    ['DM greeting → fast chit-chat', dm('hey!! 👋'), 'fast', 'simple', 'dm-chit-chat'],
    ['DM emoji only → fast chit-chat', dm('😂😂🔥'), 'fast', 'simple', 'dm-chit-chat'],
    ['code block → full complex', dm('fix this\n```js\nlet x = 1\n```'), 'full', 'complex', 'dm-code-block'],
    ['long text → full complex', dm('word '.repeat(300)), 'full', 'complex', 'dm-long-text'],
    ['many lines → full complex', dm('a\n'.repeat(20)), 'full', 'complex', 'dm-many-lines'],
    ['attachments → full complex', dm('look', { hasAttachments: true }), 'full', 'complex', 'dm-attachments'],
    [
      'retrieval question → full moderate',
      dm('what is the latest version of node?'),
      'full',
      'moderate',
      'dm-retrieval-question',
    ],
    ['link → full moderate', dm('thoughts on https://example.com/post'), 'full', 'moderate', 'dm-link'],
    ['embeds → full moderate', dm('see this', { hasEmbeds: true }), 'full', 'moderate', 'dm-embeds'],
    ['medium text → full moderate', dm('so '.repeat(120)), 'full', 'moderate', 'dm-medium-text'],
    [
      'guild short text → full (fast path is for DMs)',
      guild('nice one mate'),
      'full',
      'simple',
      'guild-short-text',
    ],
  ] as const)('%s', async (_name, message, path, complexity, reason) => {
    const decision = await new FastPathRouter().route(message);
    expect(decision).toMatchObject({ path, complexity, reason, timedOut: false, source: 'heuristic' });
    expect(decision.decisionMs).toBeGreaterThanOrEqual(0);
  });

  it('skip flags: modality only without attachments/embeds, RAG and context for chit-chat', async () => {
    const router = new FastPathRouter();
    expect((await router.route(dm('thanks!'))).skip).toEqual({ context: true, rag: true, modality: true });
    expect((await router.route(dm('how do I reset my password?'))).skip).toEqual({
      context: false,
      rag: false,
      modality: true,
    });
    expect((await router.route(dm('pic', { hasAttachments: true }))).skip.modality).toBe(false);
    expect((await router.route(guild('pic', { hasEmbeds: true }))).skip.modality).toBe(false);
    expect((await router.route(dm('write me a haiku about rain'))).skip).toEqual({
      context: false,
      rag: true,
      modality: true,
    });
  });

  it('guildFastPath allows the fast path outside DMs', async () => {
    const router = new FastPathRouter({ guildFastPath: true });
    expect((await router.route(guild('nice one mate'))).path).toBe('fast');
    expect((await router.route(guild('nice', { hasAttachments: true }))).path).toBe('full');
  });

  it('selects the model per complexity from the models option', async () => {
    const router = new FastPathRouter({ models: { simple: 'cheap/mini', complex: 'strong/big' } });
    expect((await router.route(dm('hi'))).model).toBe('cheap/mini');
    expect((await router.route(dm('what is a monad?'))).model).toBe('openai/gpt-4o-mini');
    expect((await router.route(dm('```\ncode\n```'))).model).toBe('strong/big');
  });

  it('never throws on odd input', async () => {
    const router = new FastPathRouter();
    const odd: unknown[] = [
      dm(''),
      dm('   '),
      dm('x'.repeat(1_000_000)),
      dm('🙂'.repeat(5_000)),
      dm('\ud800\udc00\ud800 lone \udfff surrogates'),
      dm('\u0000\u0001 control'),
      { text: 42, isDM: 'yes' },
      { isDM: true },
      null,
      undefined,
      'just a string',
    ];
    for (const message of odd) {
      const decision = await router.route(message as RouteMessage);
      expect(['fast', 'full']).toContain(decision.path);
      expect(['simple', 'moderate', 'complex']).toContain(decision.complexity);
    }
    expect(router.getStats().routes).toBe(odd.length);
  });
});

describe('FastPathRouter: classifier', () => {
  it('uses the classifier verdict (string or object) and passes the message', async () => {
    const seen: RouteMessage[] = [];
    const router = new FastPathRouter({
      classify: async (message) => {
        seen.push(message);
        return message.text === 'a'
          ? 'complex'
          : { complexity: 'simple', skipRag: false, reason: 'llm-small' };
      },
    });
    const a = await router.route(dm('a', { userId: 'u1' }));
    expect(a).toMatchObject({
      complexity: 'complex',
      path: 'full',
      source: 'classifier',
      reason: 'classifier-complex',
    });
    expect(a.model).toBe('anthropic/claude-sonnet-4');
    const b = await router.route(dm('b'));
    expect(b).toMatchObject({
      complexity: 'simple',
      path: 'fast',
      reason: 'llm-small',
      source: 'classifier',
    });
    expect(b.skip.rag).toBe(false);
    expect(seen[0]).toMatchObject({ text: 'a', isDM: true, userId: 'u1' });
    expect(router.getStats()).toMatchObject({ classifierCalls: 2, classifierErrors: 0, timeouts: 0 });
  });

  it('a classifier that throws, rejects or answers nonsense falls back to the heuristic decision', async () => {
    const answers: Array<() => unknown> = [
      () => {
        throw new Error('sync boom');
      },
      () => Promise.reject(new Error('async boom')),
      () => Promise.resolve({ complexity: 'galaxy-brain' }),
      () => Promise.resolve(undefined),
    ];
    let call = 0;
    const router = new FastPathRouter({ classify: () => answers[call++]!() as Promise<undefined> });
    for (let i = 0; i < answers.length; i += 1) {
      const decision = await router.route(dm('hi there friend'));
      expect(decision).toMatchObject({ source: 'heuristic', path: 'fast', timedOut: false });
    }
    expect(router.getStats()).toMatchObject({ classifierCalls: 4, classifierErrors: 3 });
  });

  it('on budget overrun returns the emergency decision, timedOut, and aborts the classifier', async () => {
    vi.useFakeTimers();
    let classifierSignal: AbortSignal | undefined;
    const router = new FastPathRouter({
      classify: (_message, { signal }) => {
        classifierSignal = signal;
        return new Promise(() => {});
      },
    });
    const pending = router.route(dm('hello, how are you'));
    await vi.advanceTimersByTimeAsync(99);
    expect(classifierSignal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const decision = await pending;
    expect(decision).toMatchObject({
      timedOut: true,
      source: 'emergency',
      path: 'fast',
      complexity: 'simple',
    });
    expect(decision.reason).toMatch(/^classifier-timeout/);
    expect(classifierSignal?.aborted).toBe(true);
    expect(classifierSignal?.reason).toMatchObject({ code: 'ABORTED' });
    expect(router.getStats().timeouts).toBe(1);
  });

  it('a fixed emergency decision and a custom budget', async () => {
    vi.useFakeTimers();
    const router = new FastPathRouter({
      budgetMs: 30,
      emergency: { path: 'full', complexity: 'moderate' },
      classify: () => new Promise((resolve) => setTimeout(() => resolve('simple'), 31)),
    });
    const pending = router.route(dm('hey'));
    await vi.advanceTimersByTimeAsync(30);
    expect(await pending).toMatchObject({
      timedOut: true,
      path: 'full',
      complexity: 'moderate',
      model: 'openai/gpt-4o-mini',
      reason: 'classifier-timeout',
    });
  });

  it("the caller's abort rejects with AbortError and aborts the classifier", async () => {
    let classifierSignal: AbortSignal | undefined;
    const router = new FastPathRouter({
      classify: (_message, { signal }) => {
        classifierSignal = signal;
        return new Promise(() => {});
      },
    });
    const controller = new AbortController();
    const pending = router.route(dm('hi'), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(classifierSignal?.aborted).toBe(true);
    await expect(router.route(dm('hi'), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
  });
});

describe('FastPathRouter: stats and options', () => {
  it('reports fast-path rates overall and for DMs', async () => {
    const router = new FastPathRouter();
    await router.route(dm('hi'));
    await router.route(dm('lol'));
    await router.route(dm('```x```'));
    await router.route(guild('hi'));
    const stats = router.getStats();
    expect(stats).toMatchObject({ routes: 4, fastPath: 2, dmRoutes: 3, dmFastPath: 2, timeouts: 0 });
    expect(stats.fastPathRate).toBe(0.5);
    expect(stats.dmFastPathRate).toBeCloseTo(2 / 3);
    expect(stats.byComplexity).toEqual({ simple: 3, moderate: 0, complex: 1 });
    expect(stats.decisionMs?.p95).toBeGreaterThanOrEqual(0);
  });

  it('emits every decision to subscribers until they unsubscribe', async () => {
    const router = new FastPathRouter();
    const seen: string[] = [];
    const off = router.on('decision', (decision) => seen.push(decision.reason));
    await router.route(dm('hi'));
    off();
    await router.route(dm('hi'));
    expect(seen).toEqual(['dm-chit-chat']);
  });

  it('validates options and names the bad value', () => {
    expect(() => new FastPathRouter({ budgetMs: 0 })).toThrow(InvalidOptionsError);
    expect(() => new FastPathRouter({ models: { simple: '' } })).toThrow(/models\.simple/);
    expect(() => new FastPathRouter({ shortTextChars: 500, longTextChars: 100 })).toThrow(/longTextChars/);
    expect(() => new FastPathRouter({ classify: 'llm' as never })).toThrow(/classify/);
  });
});
