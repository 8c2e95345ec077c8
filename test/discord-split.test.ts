import { DEFAULT_OVERFLOW_NOTICE, splitMessage } from 'chatlane';
import { seededRandom } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';

const fences = (text: string) => (text.match(/```/g) ?? []).length;

describe('splitMessage', () => {
  it('returns short text unchanged as one part', () => {
    expect(splitMessage('hello')).toEqual({ parts: ['hello'], overflow: '' });
  });

  it('keeps exactly 2,000 characters in one part and splits at 2,001', () => {
    expect(splitMessage('a'.repeat(2000)).parts).toHaveLength(1);
    const { parts } = splitMessage('a'.repeat(2001));
    expect(parts.map((p) => p.length)).toEqual([2000, 1]);
  });

  it('prefers paragraph, then line, then word boundaries', () => {
    const paragraph = `${'a '.repeat(600)}\n\n${'b '.repeat(600)}`;
    expect(splitMessage(paragraph, { maxChars: 1500 }).parts[0]?.endsWith('a')).toBe(true);
    const lines = `${'word '.repeat(250)}\n${'next '.repeat(250)}`;
    const [first] = splitMessage(lines, { maxChars: 1500 }).parts;
    expect(first).toBe('word '.repeat(250).trimEnd());
    const words = 'lorem '.repeat(500);
    for (const part of splitMessage(words).parts) expect(part.startsWith('lorem')).toBe(true);
  });

  it('does not cut inside a word when a boundary exists', () => {
    const text = Array.from({ length: 800 }, (_, i) => `w${i}`).join(' ');
    const { parts } = splitMessage(text, { maxChars: 300, maxParts: 100 });
    expect(parts.join(' ')).toBe(text);
  });

  it('closes an open fence at the split and reopens it with the same language', () => {
    const code = Array.from({ length: 100 }, (_, i) => `print(${i})  # ${'x'.repeat(20)}`).join('\n');
    const { parts } = splitMessage(`Intro\n\`\`\`python\n${code}\n\`\`\`\nOutro`, { maxChars: 500 });
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(500);
      expect(fences(part) % 2).toBe(0);
    }
    for (const part of parts.slice(1, -1)) expect(part.startsWith('```python\n')).toBe(true);
    expect(parts.at(-1)?.endsWith('Outro')).toBe(true);
  });

  it('reopens a fence without a language as a bare fence', () => {
    const code = Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n');
    const { parts } = splitMessage(`\`\`\`\n${code}\n\`\`\``, { maxChars: 200 });
    for (const part of parts) expect(fences(part) % 2).toBe(0);
    expect(parts[1]?.startsWith('```\n')).toBe(true);
  });

  it('does not leave an empty code block when the cut falls on the opening fence line', () => {
    const text = `${'a'.repeat(180)}\n\`\`\`js\n${'b'.repeat(100)}\n\`\`\``;
    const { parts } = splitMessage(text, { maxChars: 190 });
    expect(parts[0]).toBe('a'.repeat(180));
    expect(parts[1]?.startsWith('```js\n')).toBe(true);
  });

  it('never splits a surrogate pair or a ZWJ emoji sequence', () => {
    const family = '👨‍👩‍👧‍👦';
    const { parts } = splitMessage(family.repeat(300), { maxChars: 100, maxParts: 100 });
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(100);
      expect(part.length % family.length).toBe(0);
    }
    expect(parts.join('')).toBe(family.repeat(300));
  });

  it('keeps a ZWJ emoji sequence whole at the real 2,000 boundary (the cluster straddling it)', () => {
    const family = '👩‍👩‍👧‍👦';
    const { parts } = splitMessage(family.repeat(300));
    for (const part of parts) expect(part.length % family.length).toBe(0);
    expect(parts.join('')).toBe(family.repeat(300));
  });

  it('never yields a whitespace-only part (Discord refuses it with 50006)', () => {
    for (const tail of ['\n\n\n', '\n\n   ', ' \n \n\t']) {
      const { parts } = splitMessage(`${'a '.repeat(1000)}${tail}`);
      expect(parts.length).toBeGreaterThan(0);
      for (const part of parts) expect(part.trim()).not.toBe('');
    }
    const fenced = splitMessage(`\`\`\`js\n${'x = 1;\n'.repeat(290)}\n\n\n\n`).parts;
    for (const part of fenced) expect(part.replace(/```(js)?/g, '').trim()).not.toBe('');
  });

  it('returns the text past maxParts messages as overflow, announced in the last part', () => {
    const text = 'word '.repeat(3000);
    const { parts, overflow } = splitMessage(text, { maxChars: 500, maxParts: 3 });
    expect(parts).toHaveLength(3);
    expect(parts[2]?.endsWith(DEFAULT_OVERFLOW_NOTICE)).toBe(true);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(500);
    const shown = parts.map((part) => part.replace(DEFAULT_OVERFLOW_NOTICE, '')).join(' ');
    expect(`${shown} ${overflow}`.trim()).toBe(text.trim());
  });
});

describe('splitMessage fuzz', () => {
  it('always yields parts within the limit, balanced fences, and no lost text', async () => {
    const random = seededRandom(42);
    const tokens = ['wörd', ' ', '\n', '\n\n', '```', '```q\n', 'é', '🚀', ` ${'x'.repeat(40)}`, '`'];
    for (let round = 0; round < 300; round += 1) {
      const length = Math.floor(random() * 400);
      let text = '';
      for (let i = 0; i < length; i += 1) text += tokens[Math.floor(random() * tokens.length)];
      const maxChars = 60 + Math.floor(random() * 200);
      const { parts, overflow } = splitMessage(text, { maxChars, maxParts: 1_000 });
      expect(overflow).toBe('');
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(maxChars);
        expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }
      for (const part of parts.slice(0, -1)) expect(fences(part) % 2).toBe(0);
      const visible = (s: string) => s.replace(/[`\sq]/g, '');
      expect(visible(parts.join('\n'))).toBe(visible(text));
    }
  });
});
