import { AbortError, TemplateCache } from 'chatlane';
import { afterEach, describe, expect, it } from 'vitest';

const caches: TemplateCache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

describe('TemplateCache compile after an abort', () => {
  it('a compile started right after the only waiter aborted does not inherit the abort', async () => {
    const cache = new TemplateCache({ workerThresholdChars: 16, workerPoolSize: 1 });
    caches.push(cache);
    const source = 'Hello {{name}}, welcome to the server.';
    const controller = new AbortController();
    const aborted = cache.compile('t', source, { signal: controller.signal });
    controller.abort();
    const again = cache.compile('t', source);
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    const template = await again;
    expect(template.render({ name: 'Ada' })).toBe('Hello Ada, welcome to the server.');
    expect(cache.getStats().workerCompiles).toBe(2);
  });
});

describe('TemplateCache concurrent compiles of one id', () => {
  it('the source compiled last wins even when an older compile finishes after it', async () => {
    const cache = new TemplateCache({ workerThresholdChars: 16, workerPoolSize: 1 });
    caches.push(cache);
    const older = cache.compile('p', 'Old prompt for {{name}}.');
    const newer = cache.compile('p', 'New {{name}}');
    expect((await newer).render({ name: 'A' })).toBe('New A');
    expect((await older).render({ name: 'A' })).toBe('Old prompt for A.');
    expect(cache.get('p')?.render({ name: 'A' })).toBe('New A');
    const before = cache.getStats().compiles;
    await cache.compile('p', 'New {{name}}');
    expect(cache.getStats().compiles).toBe(before);
  });
});
