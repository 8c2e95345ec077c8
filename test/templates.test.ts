import {
  ClosedError,
  InvalidOptionsError,
  isChatlaneError,
  TemplateCache,
  TemplateSyntaxError,
  TemplateVariableError,
} from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

const caches: TemplateCache[] = [];
function newCache(options: ConstructorParameters<typeof TemplateCache>[0] = {}): TemplateCache {
  const cache = new TemplateCache({ workerPoolSize: 0, ...options });
  caches.push(cache);
  return cache;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

const PROMPT = [
  'You are Lane, a helpful Discord bot.',
  '{{#section rules}}Rules: be kind, be brief.{{/section}}',
  'User: {{user.name}}',
  '{{#if mood}}Mood: {{mood}}{{else}}Mood unknown{{/if}}',
  '{{! a comment that renders nothing }}',
  'Question: {{question}}',
].join('\n');

describe('TemplateCache: syntax and rendering', () => {
  it('renders placeholders, dotted names, if/else, comments and escapes', async () => {
    const template = await newCache().compile('p', `${PROMPT} \\{{literal}}`);
    const text = template.render({ user: { name: 'Ada' }, question: 'why?', mood: 'curious' });
    expect(text).toBe(
      'You are Lane, a helpful Discord bot.\nRules: be kind, be brief.\nUser: Ada\nMood: curious\n\nQuestion: why? {{literal}}',
    );
    expect(template.render({ user: { name: 'Ada' }, question: 'q', mood: '' })).toContain('Mood unknown');
    expect(template.render({ user: { name: 'Ada' }, question: 'q', mood: [] })).toContain('Mood unknown');
    expect(template.render({ user: { name: 'Ada' }, question: 0, mood: 0 })).toContain('Mood: 0');
  });

  it('stringifies numbers, booleans, arrays (one per line) and objects (JSON)', async () => {
    const template = await newCache().compile('v', '{{n}}|{{b}}|{{list}}|{{obj}}');
    expect(template.render({ n: 4.5, b: false, list: ['a', 'b'], obj: { k: 1 } })).toBe(
      '4.5|false|a\nb|{"k":1}',
    );
  });

  it('extracts variables, required variables and named sections', async () => {
    const template = await newCache().compile('p', `${PROMPT}\n{{#section ctx}}Topic: {{topic}}{{/section}}`);
    expect(template.variables).toEqual(['user.name', 'mood', 'question', 'topic']);
    expect(template.requiredVariables).toEqual(['user.name', 'question', 'topic']);
    expect(template.sections).toEqual([
      { name: 'rules', static: true, memoized: false },
      { name: 'ctx', static: false, memoized: true },
    ]);
    expect(template.missingVariables({ question: 'q' })).toEqual(['user.name', 'topic']);
  });

  it('a missing variable throws one typed error listing every missing name', async () => {
    const template = await newCache().compile('p', PROMPT);
    let caught: unknown;
    try {
      template.render({ mood: 'ok' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateVariableError);
    const error = caught as TemplateVariableError;
    expect(error.code).toBe('TEMPLATE_MISSING_VARIABLES');
    expect(error.missing).toEqual(['user.name', 'question']);
    expect(error.templateId).toBe('p');
    expect(error.message).toContain('user.name, question');
    expect(isChatlaneError(error)).toBe(true);
  });

  it('null counts as missing and inherited properties are never read', async () => {
    const template = await newCache().compile('proto', '{{constructor}} {{toString}} {{x}}');
    expect(() => template.render({ x: null })).toThrow(TemplateVariableError);
    try {
      template.render({ x: null });
    } catch (error) {
      expect((error as TemplateVariableError).missing).toEqual(['constructor', 'toString', 'x']);
    }
  });

  it('inserts user values literally: template syntax inside a value is never evaluated', async () => {
    const template = await newCache().compile(
      'lit',
      'Hi {{name}}, {{#if admin}}ADMIN{{/if}} said: {{message}}',
    );
    const sneaky = '{{#if admin}}I am admin{{/if}} {{name}} {{! hidden}} \\{{x}}';
    const text = template.render({ name: '{{message}}', message: sneaky });
    expect(text).toBe(`Hi {{message}},  said: ${sneaky}`);
  });

  it.each([
    ['Hello {{name', 'unclosed', 1, 7],
    ['a\nb {{}}', 'empty tag', 2, 3],
    ['x\n\n  {{#if a}}never closed', 'never closed', 3, 3],
    ['{{#each xs}}{{/each}}', 'unknown block', 1, 1],
    ['{{#if a}}x{{/section}}', 'closes', 1, 11],
    ['{{else}}', 'outside', 1, 1],
    ['{{/if}}', 'without an open block', 1, 1],
    ['hi {{bad name}}', 'invalid variable name', 1, 4],
    ['{{#if a}}1{{else}}2{{else}}3{{/if}}', 'outside', 1, 20],
    ['{{#section a.b}}{{/section}}', 'invalid section name', 1, 1],
  ])(
    'syntax error in %j → TemplateSyntaxError (%s) at line %i column %i',
    async (source, text, line, column) => {
      const error = await newCache()
        .compile('bad', source)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemplateSyntaxError);
      expect((error as TemplateSyntaxError).code).toBe('TEMPLATE_SYNTAX');
      expect((error as TemplateSyntaxError).message).toContain(text);
      expect((error as TemplateSyntaxError).position).toMatchObject({ line, column });
    },
  );
});

describe('TemplateCache: static prefix and byte split', () => {
  it('puts leading static text and static sections first, identical across renders', async () => {
    const template = await newCache().compile('p', PROMPT);
    expect(template.staticPrefix).toBe(
      'You are Lane, a helpful Discord bot.\nRules: be kind, be brief.\nUser: ',
    );
    const a = template.renderParts({ user: { name: 'Zoë' }, question: 'q1' });
    const b = template.renderParts({ user: { name: 'Bob' }, question: 'q2', mood: 'x' });
    expect(a.staticPrefix).toBe(b.staticPrefix);
    expect(a.text).toBe(a.staticPrefix + a.dynamic);
    expect(a.text).toBe(template.render({ user: { name: 'Zoë' }, question: 'q1' }));
    expect(a.staticBytes).toBe(Buffer.byteLength(a.staticPrefix));
    expect(a.dynamicBytes).toBe(Buffer.byteLength(a.dynamic));
    expect(a.dynamicBytes).toBe(a.dynamic.length + 1); // ë is two UTF-8 bytes
    expect(template.staticBytes).toBe(a.staticBytes);
  });

  it('hoistStaticSections moves later static sections into the prefix', async () => {
    const source = 'System.\nHi {{name}}\n{{#section policy}}Never reveal secrets.{{/section}}';
    const cache = newCache();
    const plain = await cache.compile('h', source);
    const hoisted = await cache.compile('h2', source, { hoistStaticSections: true });
    expect(plain.staticPrefix).toBe('System.\nHi ');
    expect(hoisted.staticPrefix).toBe('System.\nHi Never reveal secrets.');
    expect(hoisted.render({ name: 'A' })).toBe('System.\nHi Never reveal secrets.A\n');
  });

  it('reports unknown variables (given but never used)', async () => {
    const template = await newCache().compile('p', 'Hi {{user.name}} {{#if vip}}!{{/if}}');
    const parts = template.renderParts({ user: { name: 'A' }, vip: true, usr: 'typo', extra: 1 });
    expect(parts.unknownVariables).toEqual(['usr', 'extra']);
  });
});

describe('TemplateCache: caching', () => {
  it('same id and source is a hit returning the same template; a changed source recompiles', async () => {
    const cache = newCache();
    const first = await cache.compile('greet', 'Hello {{name}}');
    const second = await cache.compile('greet', 'Hello {{name}}');
    expect(second).toBe(first);
    const changed = await cache.compile('greet', 'Hi {{name}}');
    expect(changed).not.toBe(first);
    expect(changed.render({ name: 'A' })).toBe('Hi A');
    expect(cache.get('greet')).toBe(changed);
    const stats = cache.getStats();
    expect(stats).toMatchObject({ hits: 2, misses: 2, compiles: 2, entries: 1 });
    expect(stats.hitRate).toBe(0.5);
    expect(stats.compileMs?.p95).toBeGreaterThanOrEqual(0);
  });

  it('entries expire after the TTL (5 minutes by default)', async () => {
    vi.useFakeTimers();
    const cache = newCache();
    const first = await cache.compile('t', 'x {{y}}');
    vi.advanceTimersByTime(5 * 60_000 - 1);
    expect(cache.get('t')).toBe(first);
    vi.advanceTimersByTime(1);
    expect(cache.get('t')).toBeUndefined();
    const again = await cache.compile('t', 'x {{y}}');
    expect(again).not.toBe(first);
    expect(cache.getStats().compiles).toBe(2);
  });

  it('honours a custom ttlMs and clock', async () => {
    const clock = new ManualClock(1_000);
    const cache = newCache({ ttlMs: 50, clock });
    await cache.compile('t', 'x');
    clock.advance(49);
    expect(cache.get('t')).toBeDefined();
    clock.advance(1);
    expect(cache.get('t')).toBeUndefined();
  });

  it('keeps at most maxEntries templates (least recently used evicted)', async () => {
    const cache = newCache({ maxEntries: 2 });
    await cache.compile('a', 'a');
    await cache.compile('b', 'b');
    cache.get('a');
    await cache.compile('c', 'c');
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.getStats().entries).toBeLessThanOrEqual(3);
    expect(cache.delete('c')).toBe(true);
    expect(cache.get('c')).toBeUndefined();
  });

  it('emits a compile event per template actually compiled', async () => {
    const cache = newCache();
    const events: Array<{ id: string; worker: boolean; sourceChars: number }> = [];
    cache.on('compile', ({ id, worker, sourceChars }) => events.push({ id, worker, sourceChars }));
    await cache.compile('a', 'x {{y}}');
    await cache.compile('a', 'x {{y}}');
    expect(events).toEqual([{ id: 'a', worker: false, sourceChars: 7 }]);
  });

  it('concurrent compiles of the same id and source share one compile', async () => {
    const cache = newCache();
    const results = await Promise.all([1, 2, 3].map(() => cache.compile('s', 'Hi {{n}}')));
    expect(new Set(results).size).toBe(1);
    expect(cache.getStats().compiles).toBe(1);
  });

  it('memoizes a deterministic section by the values of its variables', async () => {
    const cache = newCache();
    const template = await cache.compile(
      'm',
      '{{#section profile}}Name: {{name}}{{#if lang}} ({{lang}}){{/if}}{{/section}} / {{q}}',
    );
    expect(template.render({ name: 'A', lang: 'fr', q: '1' })).toBe('Name: A (fr) / 1');
    expect(template.render({ name: 'A', lang: 'fr', q: '2' })).toBe('Name: A (fr) / 2');
    expect(template.render({ name: 'A', q: '3' })).toBe('Name: A / 3');
    expect(template.render({ name: 'B', lang: 'fr', q: '4' })).toBe('Name: B (fr) / 4');
    expect(template.render({ name: 'A', lang: 'fr', q: '5' })).toBe('Name: A (fr) / 5');
    const stats = cache.getStats();
    expect(stats.memoHits).toBe(2);
    expect(stats.memoMisses).toBe(3);
    expect(stats.renders).toBe(5);
  });

  it('memo keys cannot collide across value boundaries and memoMaxEntries 0 turns memo off', async () => {
    const cache = newCache();
    const template = await cache.compile('k', '{{#section s}}{{a}}-{{b}}{{/section}}');
    expect(template.render({ a: 'x|s1:y', b: 'z' })).toBe('x|s1:y-z');
    expect(template.render({ a: 'x', b: 'y|s1:z' })).toBe('x-y|s1:z');
    expect(template.render({ a: 1, b: '1' })).toBe('1-1');
    expect(template.render({ a: '1', b: '1' })).toBe('1-1');
    const off = newCache({ memoMaxEntries: 0 });
    const plain = await off.compile('k', '{{#section s}}{{a}}{{/section}}');
    plain.render({ a: 1 });
    plain.render({ a: 1 });
    expect(off.getStats()).toMatchObject({ memoHits: 0, memoMisses: 0 });
    expect(plain.sections[0]?.memoized).toBe(false);
  });

  it('a missing variable inside a memoized section is not memoized', async () => {
    const cache = newCache();
    const template = await cache.compile('mm', '{{#section s}}{{a}}{{/section}}');
    expect(() => template.render({})).toThrow(TemplateVariableError);
    expect(() => template.render({})).toThrow(TemplateVariableError);
    expect(cache.getStats().memoHits).toBe(0);
  });

  it('validates options, arguments and rejects after close()', async () => {
    expect(() => new TemplateCache({ ttlMs: -1 })).toThrow(InvalidOptionsError);
    expect(() => new TemplateCache({ workerPoolSize: 1.5 })).toThrow(/workerPoolSize/);
    const cache = newCache();
    await expect(cache.compile(1 as unknown as string, 'x')).rejects.toBeInstanceOf(InvalidOptionsError);
    const template = await cache.compile('t', 'x');
    expect(() => template.render(null as unknown as Record<string, unknown>)).toThrow(InvalidOptionsError);
    await expect(cache.compile('a', 'x', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    await cache.close();
    await expect(cache.compile('t', 'x')).rejects.toBeInstanceOf(ClosedError);
    expect(cache.get('t')).toBeUndefined();
  });
});
