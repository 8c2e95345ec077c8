import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The reliability suite (`npm run test:soak`): test/reliability/*.soak.ts, kept out of `npm test`
 * (its files do not end in `.test.ts`) and run as its own CI step. `CHATLANE_SOAK=long` for the
 * full load. The scenarios run one after another (one file), each bounded by its own timeout.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/reliability/**/*.soak.ts'],
    reporters: ['default'],
  },
});
