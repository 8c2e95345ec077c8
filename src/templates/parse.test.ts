import { describe, expect, it } from 'vitest';
import { parseTemplate } from './parse.ts';

describe('parseTemplate', () => {
  it('is self-contained: its source text alone evaluates to a working parser (the worker relies on it)', () => {
    const rebuilt = new Function(
      `const __name = (t) => t; return (${parseTemplate.toString()});`,
    )() as typeof parseTemplate;
    const source = 'a {{b}} {{#if c}}d{{else}}e{{/if}} {{#section s}}f {{g.h}}{{/section}} \\{{x}}';
    expect(rebuilt(source)).toEqual(parseTemplate(source));
  });

  it('builds the expected tree', () => {
    expect(parseTemplate('Hi {{name}}{{#if x}}!{{else}}?{{/if}}')).toEqual({
      ok: true,
      nodes: [
        { t: 'text', v: 'Hi ' },
        { t: 'var', name: 'name', at: 3 },
        { t: 'if', name: 'x', yes: [{ t: 'text', v: '!' }], no: [{ t: 'text', v: '?' }], at: 11 },
      ],
    });
  });

  it('accepts whitespace inside tags and a named close', () => {
    const result = parseTemplate('{{ #section  s }}{{ a }}{{/section s}}');
    expect(result.ok).toBe(true);
  });

  it('reports the offset of the first error', () => {
    expect(parseTemplate('ok {{#if a}}')).toEqual({
      ok: false,
      message: '"{{#if a}}" is never closed',
      offset: 3,
    });
  });
});
