/**
 * Consumer smoke test: packs the package and checks the tarball as a user meets it.
 * 1. `publint --strict` and `@arethetypeswrong/cli` (every entry point under node10, node16 CJS and
 *    ESM, and bundler resolution) on the packed tarball.
 * 2. Installs it into a fresh temporary project and checks that every public value export of
 *    src/index.ts (and src/testing/index.ts) is present from both `import` (ESM) and `require`
 *    (CJS) — the main entry with no optional peer installed, the testing entry once `ws` is.
 * 3. A TypeScript consumer compiles against the shipped declarations with `strict` and
 *    `skipLibCheck: false`: the main entry with no optional peer (discord.js, ioredis, ws)
 *    installed, the testing entry once `ws` is.
 * Run after `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');

function valueExports(entry: string): string[] {
  const program = ts.createProgram([join(root, entry)], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(root, entry));
  if (!source) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return [];
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((symbol) => symbol.getName())
    .sort();
}

const entries = { chatlane: 'src/index.ts', 'chatlane/testing': 'src/testing/index.ts' } as const;
const expected = Object.fromEntries(
  Object.entries(entries).map(([name, file]) => [name, valueExports(file)]),
);

const work = mkdtempSync(join(tmpdir(), 'chatlane-consumer-'));
try {
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root })
    .toString()
    .trim()
    .split('\n')
    .pop()!;
  const tarball = join(work, packed);
  const bin = (name: string) => join(root, 'node_modules', '.bin', name);
  execFileSync(bin('publint'), ['run', tarball, '--strict'], { stdio: 'inherit' });
  execFileSync(bin('attw'), [tarball, '--no-definitely-typed', '--format', 'table-flipped'], {
    stdio: 'inherit',
  });
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const { devDependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  // @types/node is what any TypeScript project on Node has; no optional peer is installed.
  const typesNode = `@types/node@${devDependencies['@types/node']}`;
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', tarball, typesNode], {
    cwd: work,
    stdio: 'inherit',
  });
  const check = (entry: keyof typeof entries) => `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    const expected = ${JSON.stringify({ [entry]: expected[entry] })};
    let failed = false;
    for (const [name, names] of Object.entries(expected)) {
      const esm = Object.keys(await import(name)).filter((k) => k !== 'default').sort();
      const cjs = Object.keys(require(name)).filter((k) => k !== 'default' && k !== '__esModule').sort();
      for (const [kind, got] of [['ESM', esm], ['CJS', cjs]]) {
        const missing = names.filter((n) => !got.includes(n));
        const extra = got.filter((n) => !names.includes(n));
        if (missing.length || extra.length) {
          failed = true;
          console.error(kind, name, 'missing:', missing, 'unexpected:', extra);
        } else {
          console.log(kind, name, 'ok:', got.length, 'exports');
        }
      }
    }
    process.exit(failed ? 1 : 0);
  `;
  // The main entry must load with none of the optional peers (discord.js, ws, ioredis) installed.
  writeFileSync(join(work, 'check-main.mjs'), check('chatlane'));
  execFileSync(process.execPath, ['check-main.mjs'], { cwd: work, stdio: 'inherit' });
  compileConsumer(work, 'chatlane');
  // chatlane/testing serves the fake gateway with `ws`: a consumer of the fakes installs it.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', `ws@${devDependencies.ws}`], {
    cwd: work,
    stdio: 'inherit',
  });
  writeFileSync(join(work, 'check-testing.mjs'), check('chatlane/testing'));
  execFileSync(process.execPath, ['check-testing.mjs'], { cwd: work, stdio: 'inherit' });
  compileConsumer(work, 'chatlane/testing');
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Type-checks a consumer of `entry` against the installed declarations, library checks on. */
function compileConsumer(work: string, entry: keyof typeof entries): void {
  const file = join(work, `consumer-${entry.replace('/', '-')}.ts`);
  writeFileSync(
    file,
    [
      `import * as api from '${entry}';`,
      `import type * as types from '${entry}';`,
      'export const names: string[] = Object.keys(api);',
      'export type Api = typeof types;',
      '',
    ].join('\n'),
  );
  const program = ts.createProgram([file], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    typeRoots: [join(work, 'node_modules', '@types')],
    noEmit: true,
    skipLibCheck: false,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    const host = {
      getCanonicalFileName: (f: string) => f,
      getCurrentDirectory: () => work,
      getNewLine: () => '\n',
    };
    console.error(ts.formatDiagnostics(diagnostics, host));
    throw new Error(`a TypeScript consumer of ${entry} does not compile (skipLibCheck: false)`);
  }
  console.log(`TS consumer of ${entry}: compiles with skipLibCheck: false`);
}
