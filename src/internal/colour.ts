/**
 * The one place that decides whether terminal output is coloured, and paints it, with Node's
 * built-ins: `stream.hasColors()` for the terminal's own answer, `util.styleText()` for the codes.
 */
import { styleText } from 'node:util';

/** A style `util.styleText` knows (a colour or a modifier such as `bold` or `dim`). */
export type TextStyle = Parameters<typeof styleText>[0];

/** What {@link shouldColour} reads of a stream (a `tty.WriteStream` has both). */
export interface ColourTarget {
  readonly isTTY?: boolean;
  hasColors?(env?: object): boolean;
}

/**
 * Whether output to `stream` should be coloured by default:
 * - `FORCE_COLOR` set: on, unless it is `0` or `false` (Node's own reading);
 * - `NO_COLOR` set and not empty: off (https://no-color.org);
 * - otherwise only on a TTY, and then as the terminal says (`hasColors()`: `TERM=dumb`,
 *   `NODE_DISABLE_COLORS`, a one-colour terminal are off).
 */
export function shouldColour(stream: ColourTarget, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (stream.isTTY !== true) return false;
  if (typeof stream.hasColors !== 'function') return true;
  // An empty NO_COLOR means "not set" (no-color.org); Node's hasColors would read it as set.
  const { NO_COLOR: _empty, ...rest } = env;
  return stream.hasColors(rest);
}

/** `text` in `style` (ANSI codes always emitted: the caller already decided to colour). */
export function paint(style: TextStyle, text: string): string {
  return styleText(style, text, { validateStream: false });
}
