/** The reliability table: one markdown row per scenario run, written where docs/reliability.md quotes it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScenarioResult } from './runner.ts';

const HEADER = [
  'Scenario',
  'Injected faults',
  'Messages',
  'Replies',
  'Whole answers',
  'Polite notices',
  'Lost',
  'Duplicated',
  'Wrong',
  'Max reply latency',
  'Secrets in output',
  'Handles open after close()',
];

function cell(text: string | number): string {
  return String(text).replaceAll('|', '\\|');
}

function row(result: ScenarioResult): string[] {
  const wholePercent = ((result.whole / result.messages) * 100).toFixed(2);
  return [
    result.scenario.name,
    result.scenario.faults,
    String(result.messages),
    String(result.replies),
    `${result.whole} (${wholePercent} %)`,
    String(result.notices),
    String(result.lost),
    String(result.duplicated),
    String(result.wrong),
    `${Math.round(result.maxLatencyMs)} ms`,
    String(result.secretLeaks),
    result.closeHung ? 'close() hung' : String(result.openHandles),
  ];
}

/** The results as a markdown table, with a line naming the setting and the date. */
export function markdownTable(results: ScenarioResult[], setting: string, date = new Date()): string {
  const rows = [HEADER, ...results.map(row)].map((cells) => cells.map(cell));
  const widths = HEADER.map((_, i) => Math.max(...rows.map((cells) => cells[i]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [header = [], ...body] = rows;
  // Padded like the formatter (biome) pads markdown tables, so the written file passes `npm run lint`.
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  const when = date.toISOString().slice(0, 16).replace('T', ' ');
  const notes = results.map(
    (r) => `- ${r.scenario.name}: ${r.diagnostics}; stray console lines ${r.strayConsoleLines}`,
  );
  return [
    `Setting: ${setting}, run ${when} UTC, Node ${process.version}.`,
    '',
    ...lines,
    '',
    'Counters (OpenRouterClient stats; log events by name):',
    '',
    ...notes,
    '',
  ].join('\n');
}

/** Writes the table to `path` (folders created). */
export function writeTable(path: string, table: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, table);
}
