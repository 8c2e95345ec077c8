import { DEFAULT_TEMPLATE_CACHE_OPTIONS, InvalidOptionsError, TemplateCache } from 'chatlane';
import { afterEach, describe, expect, it } from 'vitest';

const caches: TemplateCache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

const SOURCE = '{{#section profile}}<{{bio}}>{{/section}}';
/** A value of `chars` UTF-16 code units, distinct per `n`. */
const bigValue = (n: number, chars: number) => `${n}:`.padEnd(chars, 'x');

async function memoCache(options: ConstructorParameters<typeof TemplateCache>[0] = {}) {
  const cache = new TemplateCache({ workerPoolSize: 0, ...options });
  caches.push(cache);
  const template = await cache.compile('t', SOURCE);
  return { cache, render: (bio: string) => template.render({ bio }) };
}

describe('TemplateCache memo is bounded by bytes as well as entries', () => {
  it('300 distinct 1 MB values keep at most the default 8 MiB memoized', async () => {
    const { cache, render } = await memoCache();
    const chars = 512 * 1024; // 1 MB as UTF-16
    for (let n = 0; n < 300; n++) expect(render(bigValue(n, chars))).toHaveLength(chars + 2);
    const stats = cache.getStats();
    expect(stats.memoMisses).toBe(300);
    expect(stats.memoBytes).toBeLessThanOrEqual(DEFAULT_TEMPLATE_CACHE_OPTIONS.memoMaxBytes);
    // Each entry holds its key (the 1 MB value) and its text (the value again): just over 2 MiB.
    expect(stats.memoEntries).toBe(3);
    expect(stats.memoBytes).toBeGreaterThan(DEFAULT_TEMPLATE_CACHE_OPTIONS.memoMaxBytes / 2);
  });

  it('evicts the least recently used entries until under memoMaxBytes', async () => {
    const { cache, render } = await memoCache({ memoMaxBytes: 10_000 });
    const [a, b, c] = [bigValue(1, 1_000), bigValue(2, 1_000), bigValue(3, 1_000)]; // ≈ 4 KB per entry
    render(a);
    render(b);
    render(a); // a is now the most recently used
    render(c); // over 10 KB: b goes
    expect(cache.getStats()).toMatchObject({ memoEntries: 2, memoHits: 1, memoMisses: 3 });
    expect(cache.getStats().memoBytes).toBeLessThanOrEqual(10_000);
    render(a);
    render(c);
    expect(cache.getStats().memoHits).toBe(3);
    render(b);
    expect(cache.getStats().memoMisses).toBe(4);
  });

  it('a single render larger than memoMaxBytes is not memoized and evicts nothing', async () => {
    const { cache, render } = await memoCache({ memoMaxBytes: 10_000 });
    render('small');
    const before = cache.getStats().memoBytes;
    render(bigValue(1, 5_000)); // key + text ≈ 20 KB
    render(bigValue(1, 5_000));
    expect(cache.getStats()).toMatchObject({ memoEntries: 1, memoBytes: before, memoMisses: 3, memoHits: 0 });
    render('small');
    expect(cache.getStats().memoHits).toBe(1);
  });

  it('memoMaxBytes: 0 turns memoization off; a negative value is refused', async () => {
    const { cache, render } = await memoCache({ memoMaxBytes: 0 });
    render('a');
    render('a');
    expect(cache.getStats()).toMatchObject({ memoHits: 0, memoMisses: 0, memoEntries: 0, memoBytes: 0 });
    expect(() => new TemplateCache({ memoMaxBytes: -1 })).toThrow(InvalidOptionsError);
  });
});
