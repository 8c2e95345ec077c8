import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  target: 'node22',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
  // `import.meta.url` in the CommonJS build too (src/internal/undici.ts loads undici on first use).
  shims: true,
  external: ['discord.js', 'ioredis', 'ws'],
});
