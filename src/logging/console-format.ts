import { LOG_EVENT_COLUMN_WIDTH, LOG_MAX_VALUE_CHARS, LOG_NAME_COLUMN_WIDTH } from '../constants.ts';
import type { LogEvent, LogLevel } from './event.ts';

/** ANSI colour codes per level: INFO green, WARNING yellow, ERROR/CRITICAL red, DEBUG blue-grey. */
const LEVEL_COLOURS: Record<LogLevel, string> = {
  DEBUG: '\x1b[38;5;109m',
  INFO: '\x1b[32m',
  WARNING: '\x1b[33m',
  ERROR: '\x1b[31m',
  CRITICAL: '\x1b[1;31m',
};
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
const LEVEL_WIDTH = 8;

/** Event names that mark a success and get the ✔ icon (at INFO level). */
const SUCCESS_EVENT = /(_complete|_completed|_ok|_success|_sent|_ready|_recovered)$/;

/** The icon for an event: ✔ success, ℹ info/debug, ⚠ warning, ✖ error. */
export function iconFor(event: LogEvent): string {
  if (event.level === 'WARNING') return '⚠';
  if (event.level === 'ERROR' || event.level === 'CRITICAL') return '✖';
  if (event.level === 'INFO' && SUCCESS_EVENT.test(event.event)) return '✔';
  return 'ℹ';
}

/** Cuts a long value to `max` characters and says how many were cut: `abc…(+12)`. */
export function truncate(text: string, max = LOG_MAX_VALUE_CHARS): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…(+${chars.length - max})`;
}

/** Local time with milliseconds: `16:33:32.074`. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Pads to `width`; a longer text keeps its start and ends in `…`, so the grid stays aligned. */
function column(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** Control characters (newlines, tabs, escape sequences) that would break or forge a console line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes control characters as JSON does (`\n`, `\u001b`), so one event stays one line. */
function escapeControl(text: string): string {
  return text.replace(
    CONTROL_CHARS,
    (char) => NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return truncate(escapeControl(text ?? String(value)));
}

function fields(event: LogEvent): string[] {
  const out: string[] = [];
  if (event.guild_id) out.push(`guild=${event.guild_id}`);
  if (event.user_id) out.push(`user=${event.user_id}`);
  if (event.msg_id) out.push(`msg=${event.msg_id}`);
  for (const [key, value] of Object.entries(event.detail)) {
    if (value !== undefined) out.push(`${key}=${formatValue(value)}`);
  }
  return out;
}

/**
 * One aligned console line: `time icon LEVEL name event fields…`, columns padded so fields line
 * up in a grid. With `colour`, the icon and level are coloured by level and the time is dimmed.
 */
export function formatConsoleLine(event: LogEvent, colour: boolean): string {
  const icon = iconFor(event);
  const level = event.level.padEnd(LEVEL_WIDTH);
  const name = column(event.name, LOG_NAME_COLUMN_WIDTH);
  const name_ = column(event.event, LOG_EVENT_COLUMN_WIDTH);
  const rest = fields(event).join('  ');
  const time = localTime(event.ts);
  if (!colour) return `${time} ${icon} ${level} ${name} ${name_} ${rest}`.trimEnd();
  const c = LEVEL_COLOURS[event.level];
  return `${DIM}${time}${RESET} ${c}${icon} ${level}${RESET} ${name} ${c}${name_}${RESET} ${rest}`.trimEnd();
}
