import { AbortError, ClosedError, TemplateCache, TemplateSyntaxError } from 'chatlane';
import { afterEach, describe, expect, it } from 'vitest';

const caches: TemplateCache[] = [];
function newCache(options: ConstructorParameters<typeof TemplateCache>[0] = {}): TemplateCache {
  const cache = new TemplateCache({ workerThresholdChars: 1_000, workerPoolSize: 2, ...options });
  caches.push(cache);
  return cache;
}

afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

function bigTemplate(sections: number): string {
  const parts = ['System prompt.\n{{#section rules}}Static rules.{{/section}}\n'];
  for (let i = 0; i < sections; i += 1) parts.push(`Block ${i}: {{v${i % 7}}} {{#if flag}}[flag]{{/if}}\n`);
  return parts.join('');
}

describe('TemplateCache: worker-thread compiles', () => {
  it('compiles a large template on a worker and renders it like an inline compile', async () => {
    const source = bigTemplate(200);
    const vars = Object.fromEntries([...Array(7).keys()].map((i) => [`v${i}`, `value ${i}`]));
    const onWorker = newCache();
    const inline = newCache({ workerPoolSize: 0 });
    const a = await onWorker.compile('big', source);
    const b = await inline.compile('big', source);
    expect(onWorker.getStats().workerCompiles).toBe(1);
    expect(inline.getStats().workerCompiles).toBe(0);
    expect(a.render({ ...vars, flag: true })).toBe(b.render({ ...vars, flag: true }));
    expect(a.variables).toEqual(b.variables);
    expect(a.staticPrefix).toBe('System prompt.\nStatic rules.\nBlock 0: ');
  });

  it('small templates stay inline', async () => {
    const cache = newCache();
    await cache.compile('small', 'Hi {{name}}');
    expect(cache.getStats().workerCompiles).toBe(0);
  });

  it('reports a syntax error found on the worker with its position', async () => {
    const source = `${bigTemplate(100)}\n\n   {{#if open}} never closed`;
    const error = await newCache()
      .compile('broken', source)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    const lines = source.split('\n');
    expect((error as TemplateSyntaxError).position).toMatchObject({ line: lines.length, column: 4 });
  });

  it('more concurrent compiles than workers are queued and all complete', async () => {
    const cache = newCache();
    const templates = await Promise.all(
      [...Array(6).keys()].map((i) => cache.compile(`t${i}`, `${bigTemplate(60)}{{extra${i}}}`)),
    );
    expect(templates.map((t) => t.variables.at(-1))).toEqual([0, 1, 2, 3, 4, 5].map((i) => `extra${i}`));
    expect(cache.getStats()).toMatchObject({ compiles: 6, workerCompiles: 6 });
  });

  it('an abort while queued or running rejects with AbortError; the pool keeps working', async () => {
    const cache = newCache({ workerPoolSize: 1 });
    const controller = new AbortController();
    const first = cache.compile('a', `${bigTemplate(80)}{{a}}`, { signal: controller.signal });
    const second = cache.compile('b', `${bigTemplate(80)}{{b}}`, { signal: controller.signal });
    controller.abort();
    await expect(first).rejects.toBeInstanceOf(AbortError);
    await expect(second).rejects.toBeInstanceOf(AbortError);
    const after = await cache.compile('c', `${bigTemplate(80)}{{c}}`);
    expect(after.variables).toContain('c');
  });

  it('one waiter aborting a shared compile does not cancel it for the others', async () => {
    const cache = newCache({ workerPoolSize: 1 });
    const source = bigTemplate(120);
    const controller = new AbortController();
    const aborted = cache.compile('shared', source, { signal: controller.signal });
    const kept = cache.compile('shared', source);
    const alsoKept = cache.compile('shared', source, { signal: new AbortController().signal });
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    const [a, b] = await Promise.all([kept, alsoKept]);
    expect(a).toBe(b);
    expect(cache.getStats().compiles).toBe(1);
  });

  it('close() rejects pending compiles with ClosedError and terminates the workers', async () => {
    const cache = newCache();
    const pending = cache.compile('p', bigTemplate(500)).catch((e: unknown) => e);
    await cache.close();
    expect(await pending).toBeInstanceOf(ClosedError);
    await expect(cache.compile('q', bigTemplate(500))).rejects.toBeInstanceOf(ClosedError);
  });
});
