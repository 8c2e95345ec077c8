import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidOptionsError } from '../errors.ts';
import { parseOptions } from './options.ts';

const schema = z.object({ maxConnections: z.number().int().min(1), name: z.string().optional() });

describe('parseOptions', () => {
  it('returns the parsed value when valid', () => {
    expect(parseOptions(schema, { maxConnections: 3 }, 'options')).toEqual({ maxConnections: 3 });
  });

  it('names the bad value, its path and its type', () => {
    let caught: unknown;
    try {
      parseOptions(schema, { maxConnections: 'x', name: 5 }, 'OpenRouterClient options');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    const error = caught as InvalidOptionsError;
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.issues).toHaveLength(2);
    expect(error.message).toContain('Invalid OpenRouterClient options');
    expect(error.issues[0]).toMatch(/^`maxConnections`: .*got "x" \(string\)$/);
    expect(error.issues[1]).toMatch(/^`name`: .*got 5 \(number\)$/);
  });

  it('describes a missing object as undefined', () => {
    expect(() => parseOptions(schema, undefined, 'options')).toThrow(/got undefined/);
  });
});
