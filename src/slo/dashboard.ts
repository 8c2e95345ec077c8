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
/** Fewest columns of the phase-name column; a longer name widens it (names are never cut). */
const NAME_WIDTH = 12;
/** Columns of the p95 value (`12345 ms`) and of the target (`no target`). */
const P95_WIDTH = 8;
const TARGET_WIDTH = 9;
/** Fewest columns kept for the ` n=1000 alert ↑` tail; a longer tail widens it, so bars line up across rows. */
const TAIL_WIDTH = 15;
/**
 * Label of a phase with a target whose window holds fewer samples than `minSamples`
 * (`SLO_MIN_SAMPLES` by default): its p95 is not judged yet, so it is neither ok nor breaching.
 */
const SLO_DASHBOARD_WARMING_UP = 'warming up';
/** Columns of the ` 100%` label after a bar. */
const PERCENT_WIDTH = 6;
const PERCENT = 100;
const SMALL_MS = 100;
const ICON: Record<PhaseSloStatus['state'] | 'warming_up', Segment> = {
  ok: ['✔', 'green'],
  breaching: ['✖', 'red'],
  no_data: ['·', 'dim'],
  no_target: ['ℹ', 'dim'],
  warming_up: ['◌', 'yellow'],
};

/** Whether colour is on by default on stdout (`FORCE_COLOR`, `NO_COLOR`, TTY colours). */
export function defaultColor(): boolean {
  return shouldColour(process.stdout);
}

/** Renders the SLO panel: phases as a tree with p95-vs-target bars, alert history, totals. */
export function renderDashboard(
  status: SloStatus,
  alerts: readonly SloEvent[],
  meta: { windowMs: number; minSamples?: number },
  options: DashboardOptions = {},
): string {
  const color = options.color ?? defaultColor();
  const width = Math.max(MIN_WIDTH, options.width ?? SLO_DASHBOARD_WIDTH);
  const inner = width - 4;
  const paint = (segments: readonly Segment[]) => paintRow(segments, inner, color);
  const phases = Object.values(status.phases);
  const title = ` chatlane SLO · ${overallLabel(status, phases)} · window ${formatDuration(meta.windowMs)} `;
  const out = [border('╭─', title, '╮', width)];
  out.push(paint([['phases (p95 vs target)', 'bold']]));
  const tails = phases.map((phase) => tailOf(phase, meta.minSamples));
  const layout: RowLayout = {
    inner,
    nameWidth: Math.max(NAME_WIDTH, ...phases.map((phase) => phase.phase.length)),
    tailWidth: Math.max(TAIL_WIDTH, ...tails.map((tail) => tail.length)),
  };
  phases.forEach((phase, i) => {
    out.push(paint(phaseRow(phase, tails[i] ?? '', i === phases.length - 1, layout)));
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

/** Column widths shared by every phase row, so values and bars line up. */
interface RowLayout {
  inner: number;
  nameWidth: number;
  tailWidth: number;
}

/** A phase with a target and samples, but fewer than `minSamples`: its p95 is not judged yet. */
function warmingUp(phase: PhaseSloStatus): boolean {
  return phase.state === 'no_data' && phase.target !== null && phase.samples > 0;
}

/** `ok` only when every phase with a target has enough samples to be judged. */
function overallLabel(status: SloStatus, phases: readonly PhaseSloStatus[]): string {
  if (!status.ok) return 'breaching';
  return phases.some(warmingUp) ? SLO_DASHBOARD_WARMING_UP : 'ok';
}

/** ` n=5/10 warming up`, ` n=20 alert ↑`. */
function tailOf(phase: PhaseSloStatus, minSamples: number | undefined): string {
  if (warmingUp(phase)) {
    const of = minSamples === undefined ? '' : `/${minSamples}`;
    return ` n=${phase.samples}${of} ${SLO_DASHBOARD_WARMING_UP}`;
  }
  return ` n=${phase.samples}${phase.alerting ? ' alert' : ''}${phase.regressed ? ' ↑' : ''}`;
}

function phaseRow(phase: PhaseSloStatus, tail: string, last: boolean, layout: RowLayout): Segment[] {
  const branch = last ? '└─ ' : '├─ ';
  const warming = warmingUp(phase);
  const icon = ICON[warming ? 'warming_up' : phase.state];
  const name = phase.phase.padEnd(layout.nameWidth);
  const p95 = phase.p95 === null ? '—' : formatMs(phase.p95);
  const target = phase.target === null ? 'no target' : formatMs(phase.target);
  const values = `${p95.padStart(P95_WIDTH)} / ${target.padEnd(TARGET_WIDTH)} `;
  const head: Segment[] = [[branch, 'dim'], icon, [` ${name} `], [values]];
  const barRoom = layout.inner - segmentsWidth(head) - layout.tailWidth - PERCENT_WIDTH;
  const barWidth = Math.max(0, Math.min(SLO_DASHBOARD_BAR_WIDTH, barRoom));
  const tailColour: Color = phase.alerting ? 'red' : warming ? 'yellow' : 'dim';
  return [...head, ...bar(phase, barWidth, warming), [tail, tailColour]];
}

/** The p95-vs-target bar; a warming-up phase's bar is dim (its p95 is not judged yet). */
function bar(phase: PhaseSloStatus, width: number, warming: boolean): Segment[] {
  if (phase.target === null || phase.p95 === null) return [['░'.repeat(width), 'dim'], ['    — ']];
  const ratio = phase.p95 / phase.target;
  const filled = Math.round(Math.min(1, ratio) * width);
  const judged: Color = ratio > 1 ? 'red' : ratio > SOFT_LIMIT ? 'yellow' : 'green';
  const colour: Color = warming ? 'dim' : judged;
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
