import { LOG_EVENT_COLUMN_WIDTH, LOG_MAX_VALUE_CHARS, LOG_NAME_COLUMN_WIDTH } from '../constants.ts';
import { paint, type TextStyle } from '../internal/colour.ts';
import type { LogEvent, LogLevel } from './event.ts';

/** Colour per level: INFO green, WARNING yellow, ERROR red, CRITICAL bold red, DEBUG grey. */
const LEVEL_STYLES: Record<LogLevel, TextStyle> = {
  DEBUG: 'gray',
  INFO: 'green',
  WARNING: 'yellow',
  ERROR: 'red',
  CRITICAL: ['bold', 'red'],
};
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

/**
 * Characters that would break, forge or disguise a console line: C0 controls and DEL (newlines,
 * tabs, escape sequences), C1 controls (U+0080–U+009F, incl. the 8-bit CSI and NEL), the line and
 * paragraph separators U+2028/U+2029, and bidi controls (U+200E/F, U+061C, U+202A–E, U+2066–9)
 * that reorder what is shown.
 */
const UNSAFE_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The one escape for everything that reaches the terminal (event, names, bound fields, detail keys
 * and values): unsafe characters become `\n` or `\u001b`-style escapes, so one event is one line
 * and nothing in it can colour, reorder or forge the output.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(
    UNSAFE_CHARS,
    (char) => NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A field for the terminal: escaped, then cut to `LOG_MAX_VALUE_CHARS`. */
const safe = (text: unknown): string => truncate(escapeForTerminal(String(text)));

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return safe(text ?? String(value));
}

function fields(event: LogEvent): string[] {
  const out: string[] = [];
  if (event.guild_id) out.push(`guild=${safe(event.guild_id)}`);
  if (event.user_id) out.push(`user=${safe(event.user_id)}`);
  if (event.msg_id) out.push(`msg=${safe(event.msg_id)}`);
  for (const [key, value] of Object.entries(event.detail)) {
    if (value !== undefined) out.push(`${safe(key)}=${formatValue(value)}`);
  }
  return out;
}

/**
 * One aligned console line: `time icon LEVEL name event fields…`, columns padded so fields line
 * up in a grid. With `colour`, the icon and level are coloured by level and the time is dimmed.
 */
export function formatConsoleLine(event: LogEvent, colour: boolean): string {
  const icon = iconFor(event);
  const level = escapeForTerminal(String(event.level)).padEnd(LEVEL_WIDTH);
  const name = column(escapeForTerminal(String(event.name)), LOG_NAME_COLUMN_WIDTH);
  const name_ = column(escapeForTerminal(String(event.event)), LOG_EVENT_COLUMN_WIDTH);
  const rest = fields(event).join('  ');
  const time = escapeForTerminal(localTime(event.ts));
  if (!colour) return `${time} ${icon} ${level} ${name} ${name_} ${rest}`.trimEnd();
  const style = LEVEL_STYLES[event.level] ?? 'reset';
  return `${paint('dim', time)} ${paint(style, `${icon} ${level}`)} ${name} ${paint(style, name_)} ${rest}`.trimEnd();
}
