import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dependencyEngines, enginesViolations, rangeImplies } from '../scripts/check-engines.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('package engines', () => {
  it('our engines.node implies the engines.node of every runtime dependency and peer', () => {
    expect(enginesViolations(root)).toEqual([]);
  });

  it('walks transitive runtime dependencies (p-retry > is-network-error)', () => {
    const paths = dependencyEngines(root).map((dep) => dep.path);
    expect(paths).toEqual(expect.arrayContaining(['undici', 'opossum', 'p-retry > is-network-error']));
  });
});

describe('rangeImplies', () => {
  it.each([
    ['>=22.19.0', '>=22.19.0', true],
    ['>=22', '>=22.19.0', false],
    ['>=22.19', '>=22.19.0', true],
    ['>=22.19.0', '>=18', true],
    ['>= 22.19.0', '>=22 <30', false],
    ['^22.19.0 || ^24.0.0 || ^26.0.0', '^26 || ^24 || ^22', true],
    ['>=22.19.0', '^26 || ^24 || ^22', false],
    ['^22.19.0 || ^24.0.0', '>=22.19.0 <23 || 24.x', true],
    ['^22.19.0', '~22.19.0', false],
    ['~22.19.3', '>22.19.2 <=22.19', true],
    ['^0.2.3', '>=0.2.0 <0.3.0', true],
    ['22', '^22.0.0', true],
    ['*', '>=0.0.0', true],
    ['>=20', '*', true],
  ])('%s implies %s: %s', (ours, theirs, expected) => {
    expect(rangeImplies(ours, theirs)).toBe(expected);
  });

  it('throws on a range it cannot read, so the check never passes silently', () => {
    expect(() => rangeImplies('>=22', '22.0.0 - 24.0.0')).toThrow(/unsupported engines comparator "-"/);
  });
});
