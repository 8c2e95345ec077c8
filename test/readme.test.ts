import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('README', () => {
  const readme = read('README.md');

  it('shows the two commands of a fresh clone', () => {
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toContain('npm ci && npm start');
  });

  it("shows examples/minimal-bot.ts verbatim, so the type checker covers the README's example", () => {
    const section = readme.slice(readme.indexOf('## A minimal bot'));
    const block = section.slice(section.indexOf('```ts\n') + 6, section.indexOf('\n```\n'));
    const source = read('examples/minimal-bot.ts');
    expect(block.trim()).toBe(source.slice(source.indexOf('import {')).trim());
  });

  it('links a docs page that exists for every primitive', () => {
    for (const page of readme.matchAll(/\]\(docs\/([a-z-]+\.md)\)/g)) {
      expect(() => read(`docs/${page[1]}`), page[1]).not.toThrow();
    }
  });
});
