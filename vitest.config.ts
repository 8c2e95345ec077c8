import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `CHATLANE_TARGET=dist` (npm run test:dist) points the public entry points at the built
 * package, so the public-behaviour tests in test/ run against what npm publishes.
 */
const fromDist = process.env.CHATLANE_TARGET === 'dist';
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^chatlane\/testing$/,
        replacement: here(fromDist ? './dist/testing/index.js' : './src/testing/index.ts'),
      },
      { find: /^chatlane$/, replacement: here(fromDist ? './dist/index.js' : './src/index.ts') },
    ],
  },
  test: {
    include: fromDist ? ['test/**/*.test.ts'] : ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // In CI a JSON report is written too, so .ci/run can print one plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
