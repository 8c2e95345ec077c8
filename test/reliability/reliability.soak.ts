/**
 * The reliability record (issue #10): every scenario of the table in scenarios.ts, run through the
 * reference bot's pipeline against the fakes; one test per scenario, asserting the goals: the
 * share of whole answers, 0 lost, 0 duplicated, 0 partial, a polite notice when every model is
 * down, no secret in any output, nothing left open after `close()`. The table is printed (and
 * written to RESULTS_FILE) at the end. Run: `npm run test:soak` (`CHATLANE_SOAK=long` for the
 * full 20 × 100 per scenario); one scenario: `npx vitest run -c vitest.soak.config.ts -t '<name>'`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { markdownTable, writeTable } from './report.ts';
import { runScenario, type ScenarioResult, violations } from './runner.ts';
import { SCENARIOS } from './scenarios.ts';
import { RESULTS_FILE, SCENARIO_TIMEOUT_MS, SETTING } from './settings.ts';

const results: ScenarioResult[] = [];

afterAll(() => {
  if (results.length === 0) return;
  const table = markdownTable(results, SETTING);
  console.info(`\nreliability (${SETTING})\n\n${table}`);
  // Only a full run replaces the recorded table (a `-t` run of one scenario just prints its row).
  if (RESULTS_FILE !== undefined && results.length === SCENARIOS.length) writeTable(RESULTS_FILE, table);
});

describe(`reliability (${SETTING} setting)`, () => {
  for (const scenario of SCENARIOS) {
    it(
      scenario.name,
      async () => {
        const result = await runScenario(scenario);
        results.push(result);
        expect(violations(result)).toEqual([]);
      },
      SCENARIO_TIMEOUT_MS,
    );
  }
});
