import { describe, expect, it } from 'vitest';
import { paint, shouldColour } from './colour.ts';

const tty = (colours: boolean) => ({ isTTY: true, hasColors: () => colours });

describe('shouldColour', () => {
  it('colours a TTY that has colours, never a pipe', () => {
    expect(shouldColour(tty(true), {})).toBe(true);
    expect(shouldColour(tty(false), {})).toBe(false);
    expect(shouldColour({ isTTY: false }, {})).toBe(false);
    expect(shouldColour({}, {})).toBe(false);
  });

  it('NO_COLOR (not empty) turns colour off; an empty NO_COLOR counts as unset', () => {
    expect(shouldColour(tty(true), { NO_COLOR: '1' })).toBe(false);
    expect(
      shouldColour({ isTTY: true, hasColors: (env) => !('NO_COLOR' in (env ?? {})) }, { NO_COLOR: '' }),
    ).toBe(true);
  });

  it('FORCE_COLOR wins over NO_COLOR and a pipe; 0 and false turn colour off', () => {
    expect(shouldColour({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(shouldColour({ isTTY: false }, { FORCE_COLOR: '' })).toBe(true);
    expect(shouldColour(tty(true), { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldColour(tty(true), { FORCE_COLOR: 'false' })).toBe(false);
  });

  it('asks the terminal with the environment it was given', () => {
    let seen: object | undefined;
    const hasColors = (env?: object) => {
      seen = env;
      return true;
    };
    shouldColour({ isTTY: true, hasColors }, { TERM: 'dumb' });
    expect(seen).toEqual({ TERM: 'dumb' });
  });
});

describe('paint', () => {
  it('emits ANSI codes whatever the stream, and nests styles', () => {
    expect(paint('red', 'x')).toBe('\u001b[31mx\u001b[39m');
    expect(paint(['bold', 'red'], 'x')).toContain('\u001b[1m');
  });
});
