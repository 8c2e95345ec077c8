import { SLO_DASHBOARD_ALERT_ROWS, SLO_DASHBOARD_BAR_WIDTH, SLO_DASHBOARD_WIDTH } from '../constants.ts';
import { paint, shouldColour } from '../internal/colour.ts';
import type { PhaseSloStatus, SloEvent, SloStatus } from './types.ts';

/** Options of `SloMonitor#renderDashboard()`. */
export interface DashboardOptions {
  /** ANSI colours. @default on when stdout is a colour TTY and `NO_COLOR` is unset, or `FORCE_COLOR` is set */
  color?: boolean;
  /** Total width in columns, borders included. @default 80 (SLO_DASHBOARD_WIDTH) */
  width?: number;
  /** Alert-history rows shown (newest last). @default 5 (SLO_DASHBOARD_ALERT_ROWS) */
  alertRows?: number;
  /** Time zone of the alert timestamps. @default 'local' */
  timeZone?: 'local' | 'utc';
}

type Color = 'green' | 'yellow' | 'red' | 'dim' | 'bold';
/** A run of text with an optional colour; widths are measured on the text alone. */
type Segment = readonly [text: string, color?: Color];

const MIN_WIDTH = 40;
const NAME_WIDTH = 12;
/** Columns of the p95 value (`12345 ms`) and of the target (`no target`). */
const P95_WIDTH = 8;
const TARGET_WIDTH = 9;
/** Columns kept for the ` n=1000 alert ↑` tail so bars line up across rows. */
const TAIL_WIDTH = 15;
/** Columns of the ` 100%` label after a bar. */
const PERCENT_WIDTH = 6;
const PERCENT = 100;
const SMALL_MS = 100;
const ICON: Record<PhaseSloStatus['state'], Segment> = {
  ok: ['✔', 'green'],
  breaching: ['✖', 'red'],
  no_data: ['·', 'dim'],
  no_target: ['ℹ', 'dim'],
};

/** Whether colour is on by default on stdout (`FORCE_COLOR`, `NO_COLOR`, TTY colours). */
export function defaultColor(): boolean {
  return shouldColour(process.stdout);
}

/** Renders the SLO panel: phases as a tree with p95-vs-target bars, alert history, totals. */
export function renderDashboard(
  status: SloStatus,
  alerts: readonly SloEvent[],
  meta: { windowMs: number },
  options: DashboardOptions = {},
): string {
  const color = options.color ?? defaultColor();
  const width = Math.max(MIN_WIDTH, options.width ?? SLO_DASHBOARD_WIDTH);
  const inner = width - 4;
  const paint = (segments: readonly Segment[]) => paintRow(segments, inner, color);
  const title = ` chatlane SLO · ${status.ok ? 'ok' : 'breaching'} · window ${formatDuration(meta.windowMs)} `;
  const out = [border('╭─', title, '╮', width)];
  const phases = Object.values(status.phases);
  out.push(paint([['phases (p95 vs target)', 'bold']]));
  phases.forEach((phase, i) => {
    out.push(paint(phaseRow(phase, i === phases.length - 1, inner)));
  });
  const rows = options.alertRows ?? SLO_DASHBOARD_ALERT_ROWS;
  const shown = alerts.slice(-rows);
  out.push(border('├─', ` alerts (${alerts.length}, last ${shown.length}) `, '┤', width));
  if (shown.length === 0) out.push(paint([['no alerts', 'dim']]));
  shown.forEach((event, i) => {
    out.push(paint(alertRow(event, i === shown.length - 1, options.timeZone ?? 'local')));
  });
  out.push(border('├─', ' totals ', '┤', width));
  out.push(paint(totalsRow(status)));
  out.push(`╰${'─'.repeat(width - 2)}╯`);
  return out.join('\n');
}

function phaseRow(phase: PhaseSloStatus, last: boolean, inner: number): Segment[] {
  const branch = last ? '└─ ' : '├─ ';
  const icon = ICON[phase.state];
  const name = phase.phase.padEnd(NAME_WIDTH).slice(0, NAME_WIDTH);
  const p95 = phase.p95 === null ? '—' : formatMs(phase.p95);
  const target = phase.target === null ? 'no target' : formatMs(phase.target);
  const values = `${p95.padStart(P95_WIDTH)} / ${target.padEnd(TARGET_WIDTH)} `;
  const tail = ` n=${phase.samples}${phase.alerting ? ' alert' : ''}${phase.regressed ? ' ↑' : ''}`;
  const head: Segment[] = [[branch, 'dim'], icon, [` ${name} `], [values]];
  const barRoom = inner - segmentsWidth(head) - TAIL_WIDTH - PERCENT_WIDTH;
  const barWidth = Math.max(0, Math.min(SLO_DASHBOARD_BAR_WIDTH, barRoom));
  return [...head, ...bar(phase, barWidth), [tail, phase.alerting ? 'red' : 'dim']];
}

function bar(phase: PhaseSloStatus, width: number): Segment[] {
  if (phase.target === null || phase.p95 === null) return [['░'.repeat(width), 'dim'], ['    — ']];
  const ratio = phase.p95 / phase.target;
  const filled = Math.round(Math.min(1, ratio) * width);
  const colour: Color = ratio > 1 ? 'red' : ratio > SOFT_LIMIT ? 'yellow' : 'green';
  const percent = `${Math.round(ratio * PERCENT)}%`.padStart(PERCENT_WIDTH - 1);
  return [
    ['█'.repeat(filled), colour],
    ['░'.repeat(width - filled), 'dim'],
    [` ${percent}`, colour],
  ];
}

/** Above this share of the target the bar turns yellow. */
const SOFT_LIMIT = 0.8;

function alertRow(event: SloEvent, last: boolean, timeZone: 'local' | 'utc'): Segment[] {
  const branch: Segment = [last ? '└─ ' : '├─ ', 'dim'];
  const time: Segment = [`${formatTime(event.at, timeZone)} `, 'dim'];
  switch (event.kind) {
    case 'slo_breach':
      return [
        branch,
        time,
        ['✖ slo_breach', 'red'],
        [` ${event.phase} ${formatMs(event.p95)} > ${formatMs(event.target)}`],
        [event.reminder ? ' (reminder)' : ` (${event.consecutiveBreaches}× in a row)`, 'dim'],
      ];
    case 'slo_recovered':
      return [
        branch,
        time,
        ['✔ slo_recovered', 'green'],
        [` ${event.phase} ${formatMs(event.p95)} ≤ ${formatMs(event.target)}`],
        [` after ${formatDuration(event.breachDurationMs)}`, 'dim'],
      ];
    case 'performance_regression':
      return [
        branch,
        time,
        ['⚠ regression', 'yellow'],
        [` ${event.phase} ${formatMs(event.p95)} vs ${formatMs(event.baselineP95)}`],
        [` (+${Math.round(event.increase * PERCENT)}%)`, 'dim'],
      ];
  }
}

function totalsRow(status: SloStatus): Segment[] {
  const t = status.totals;
  const parts = [
    plural(t.samples, 'sample'),
    plural(t.alerts, 'alert'),
    plural(t.recoveries, 'recovery', 'recoveries'),
    plural(t.regressions, 'regression'),
    `${t.dropped} dropped`,
  ];
  return [[parts.join(' · ')]];
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function border(left: string, title: string, right: string, width: number): string {
  const room = width - left.length - right.length;
  const text = title.length > room ? title.slice(0, room) : title;
  return `${left}${text}${'─'.repeat(room - text.length)}${right}`;
}

function paintRow(segments: readonly Segment[], inner: number, color: boolean): string {
  const fitted = fitToWidth(segments, inner);
  const pad = ' '.repeat(inner - segmentsWidth(fitted));
  const body = fitted.map(([text, c]) => (color && c && text ? paint(c, text) : text)).join('');
  return `│ ${body}${pad} │`;
}

/** Cuts segments to `room` columns, ending a cut line with `…`. */
function fitToWidth(segments: readonly Segment[], room: number): Segment[] {
  if (segmentsWidth(segments) <= room) return [...segments];
  const out: Segment[] = [];
  let left = room - 1;
  for (const [text, c] of segments) {
    if (left <= 0) break;
    out.push([text.slice(0, left), c]);
    left -= Math.min(left, text.length);
  }
  out.push(['…']);
  return out;
}

function segmentsWidth(segments: readonly Segment[]): number {
  return segments.reduce((sum, [text]) => sum + text.length, 0);
}

/** `1234 ms`, `12.3 ms`. */
export function formatMs(ms: number): string {
  return ms < SMALL_MS ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

const MS_PER_S = 1_000;
const S_PER_MIN = 60;

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / MS_PER_S);
  if (seconds < S_PER_MIN) return `${seconds} s`;
  const minutes = Math.floor(seconds / S_PER_MIN);
  const rest = seconds % S_PER_MIN;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

function formatTime(epochMs: number, timeZone: 'local' | 'utc'): string {
  const d = new Date(epochMs);
  const utc = timeZone === 'utc';
  const parts = utc
    ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getHours(), d.getMinutes(), d.getSeconds()];
  const millis = utc ? d.getUTCMilliseconds() : d.getMilliseconds();
  const hms = parts.map((n) => String(n).padStart('00'.length, '0')).join(':');
  return `${hms}.${String(millis).padStart('000'.length, '0')}${utc ? 'Z' : ''}`;
}
