import { TemplateCache } from 'chatlane';
import { afterEach, describe, expect, it } from 'vitest';

const caches: TemplateCache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

describe('TemplateCache section memo keys', () => {
  it('arrays that render differently never share a memo entry', async () => {
    const cache = new TemplateCache({ workerPoolSize: 0 });
    caches.push(cache);
    const template = await cache.compile('arr', '{{#section s}}[{{items}}]{{/section}}');
    const render = (items: unknown[]) => template.render({ items });
    expect(render([null])).toBe('[null]');
    expect(render([undefined])).toBe('[undefined]');
    expect(render([() => 'a'])).toBe(`[${String(() => 'a')}]`);
    expect(render([() => 'b'])).toBe(`[${String(() => 'b')}]`);
    expect(render(['x', ['y', 'z']])).toBe('[x\ny\nz]');
    expect(render(['x', ['y', 'z']])).toBe('[x\ny\nz]');
    expect(cache.getStats().memoHits).toBe(1);
  });
});
