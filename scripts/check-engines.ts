/**
 * Checks that our `engines.node` implies the `engines.node` of every runtime dependency
 * (transitively) and of every installed peer: a Node version we claim to support must be one each
 * of them supports, or `import 'chatlane'` can crash on it (undici 8.13 needs Node ≥ 22.19).
 *
 * Run: `npx node scripts/check-engines.ts` (exit 1 and one line per offending dependency).
 * `test/package-engines.test.ts` runs the same check in the test suite.
 *
 * `semver` is not installed here, so this file holds a small, exact range comparison. Versions are
 * `major.minor.patch` triples (prerelease tags are ignored); a range is a union (`||`) of
 * intersections (space-separated) of comparators: `>=v`, `>v`, `<=v`, `<v`, `=v`, `v`, `^v`, `~v`,
 * with partial or `x` versions (`22`, `22.x`, `*`). Each intersection becomes one half-open interval
 * `[low, high)` of triples; as triples are discrete, `>v` is `>=` the next patch and `<=v` is `<` it.
 * "Ours implies theirs" holds when every interval of ours lies inside the union of theirs. Anything
 * else (hyphen ranges, `||` inside a comparator, garbage) throws, so the check never passes silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A version as `[major, minor, patch]`. */
export type Version = readonly [number, number, number];
/** The versions `v` with `low <= v < high`; `high` undefined means no upper bound. */
export interface Interval {
  low: Version;
  high: Version | undefined;
}

const ZERO: Version = [0, 0, 0];
const COMPARATOR = /^(>=|<=|>|<|=|\^|~)?v?(\*|x|X|\d+)(?:\.(\*|x|X|\d+))?(?:\.(\*|x|X|\d+))?(?:-[\w.]+)?$/;

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** `>= 22` is `>=22`: an operator may be followed by spaces. */
const OPERATOR_SPACE = /(>=|<=|>|<|=|\^|~)\s+/g;
const isWild = (part: string | undefined) => part === undefined || /^[*xX]$/.test(part);

/** Parses one comparator into the interval it allows. */
function comparatorInterval(text: string): Interval {
  const match = COMPARATOR.exec(text);
  if (!match) throw new Error(`unsupported engines comparator "${text}"`);
  const [, op = '=', ...raw] = match;
  const given = raw.findIndex(isWild) === -1 ? 3 : raw.findIndex(isWild); // how many parts are numbers
  const parts = raw.map((part) => (isWild(part) ? 0 : Number(part)));
  const v: Version = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
  // The first version past everything `v` names: 22 → 23.0.0, 22.19 → 22.20.0, 22.19.1 → 22.19.2.
  const after = (depth: number): Version | undefined =>
    depth === 0
      ? undefined
      : depth === 1
        ? [v[0] + 1, 0, 0]
        : depth === 2
          ? [v[0], v[1] + 1, 0]
          : [v[0], v[1], v[2] + 1];
  switch (op) {
    case '>=':
      return { low: v, high: undefined };
    case '>':
      return given === 0 ? { low: ZERO, high: ZERO } : { low: after(given) ?? ZERO, high: undefined };
    case '<':
      return { low: ZERO, high: given === 0 ? ZERO : v };
    case '<=':
      return { low: ZERO, high: after(given) };
    case '~':
      return { low: v, high: after(Math.min(given, 2)) };
    case '^': {
      const firstNonZero = v.findIndex((part, i) => part !== 0 || i === given - 1);
      return { low: v, high: after(Math.min(firstNonZero === -1 ? given : firstNonZero + 1, given)) };
    }
    default:
      return { low: v, high: after(given) };
  }
}

/** Parses a range into the intervals (possibly empty ones) whose union it allows. */
export function rangeIntervals(range: string): Interval[] {
  return range.split('||').map((set) => {
    const comparators = set.trim().replace(OPERATOR_SPACE, '$1').split(/\s+/).filter(Boolean);
    if (comparators.length === 0) return { low: ZERO, high: undefined }; // '' means any version
    return comparators.map(comparatorInterval).reduce((a, b) => ({
      low: compare(a.low, b.low) >= 0 ? a.low : b.low,
      high:
        a.high === undefined
          ? b.high
          : b.high === undefined || compare(a.high, b.high) <= 0
            ? a.high
            : b.high,
    }));
  });
}

const isEmpty = (i: Interval) => i.high !== undefined && compare(i.low, i.high) >= 0;

/** True when every version `ours` allows is allowed by `theirs`. */
export function rangeImplies(ours: string, theirs: string): boolean {
  const covering = rangeIntervals(theirs)
    .filter((i) => !isEmpty(i))
    .sort((a, b) => compare(a.low, b.low));
  const merged: Interval[] = [];
  for (const next of covering) {
    const last = merged.at(-1);
    if (last && (last.high === undefined || compare(next.low, last.high) <= 0)) {
      if (last.high !== undefined && (next.high === undefined || compare(next.high, last.high) > 0))
        last.high = next.high;
    } else merged.push({ ...next });
  }
  return rangeIntervals(ours)
    .filter((i) => !isEmpty(i))
    .every((mine) =>
      merged.some(
        (m) =>
          compare(m.low, mine.low) <= 0 &&
          (m.high === undefined || (mine.high !== undefined && compare(mine.high, m.high) <= 0)),
      ),
    );
}

interface Manifest {
  name: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** An installed package's directory as Node resolves it from `fromDir` (nested node_modules first). */
function installedDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** One installed dependency and the `engines.node` it declares (undefined: none). */
export interface DependencyEngines {
  /** Path from our package: `p-retry > is-network-error`. */
  path: string;
  node: string | undefined;
}

/** `engines.node` of every runtime dependency (transitively) and every installed direct peer. */
export function dependencyEngines(rootDir: string): DependencyEngines[] {
  const root = readManifest(rootDir);
  const out: DependencyEngines[] = [];
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string, trail: string, transitive: boolean) => {
    const dir = installedDir(name, fromDir);
    if (dir === undefined || seen.has(dir)) return;
    seen.add(dir);
    const manifest = readManifest(dir);
    const path = trail === '' ? name : `${trail} > ${name}`;
    out.push({ path, node: manifest.engines?.node });
    if (transitive) for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir, path, true);
  };
  for (const dep of Object.keys(root.dependencies ?? {})) visit(dep, rootDir, '', true);
  for (const peer of Object.keys(root.peerDependencies ?? {})) visit(peer, rootDir, '', false);
  return out;
}

/** One line per dependency whose `engines.node` is stricter than `ours`; empty when all are implied. */
export function enginesViolations(rootDir: string): string[] {
  const ours = readManifest(rootDir).engines?.node;
  if (ours === undefined) return ['package.json has no engines.node'];
  return dependencyEngines(rootDir)
    .filter((dep) => dep.node !== undefined && !rangeImplies(ours, dep.node))
    .map((dep) => `${dep.path} needs node "${dep.node}", stricter than our engines.node "${ours}"`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const violations = enginesViolations(join(dirname(fileURLToPath(import.meta.url)), '..'));
  for (const line of violations) console.error(line);
  process.exitCode = violations.length === 0 ? 0 : 1;
}
