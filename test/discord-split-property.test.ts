import { DEFAULT_OVERFLOW_NOTICE, splitMessage } from 'chatlane';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const FENCE = '```';
const CLOSER = `\n${FENCE}`;
const LANG = /^[a-z0-9_+\-.#]{1,32}(?=\r?\n)/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Discord's reading of `text[0, end)`: the language of the block open at `end`, or undefined. */
function openBlock(text: string, end: number): string | undefined {
  let lang: string | undefined;
  for (let at = text.indexOf(FENCE); at !== -1 && at + FENCE.length <= end; at = text.indexOf(FENCE, at + 3))
    lang = lang === undefined ? (LANG.exec(text.slice(at + 3))?.[0] ?? '') : undefined;
  return lang;
}

const fences = (part: string) => part.split(FENCE).length - 1;

/**
 * Whether `parts` are `text` cut at whitespace, each part reopening the block open at its start
 * (with its language) and closing the block open at its end, the rest being `overflow`.
 */
function rebuilds(text: string, parts: string[], overflow: string, index = 0, pos = 0): boolean {
  if (index === parts.length) {
    const rest = text.slice(pos);
    return overflow === '' ? rest.trim() === '' : rest.trimStart() === overflow.trimStart();
  }
  const reopened = openBlock(text, pos);
  const opener = reopened === undefined ? '' : `${FENCE}${reopened}\n`;
  const part = parts[index] as string;
  if (!part.startsWith(opener)) return false; // a reopened fence lost its language
  const inner = part.slice(opener.length);
  const candidates: Array<[string, boolean]> = [[inner, false]];
  if (inner.endsWith(CLOSER)) candidates.push([inner.slice(0, -CLOSER.length), true]);
  return candidates.some(([body, closed]) => {
    const at = text.indexOf(body, pos);
    if (at === -1 || text.slice(pos, at).trim() !== '') return false;
    const end = at + body.length;
    if ((openBlock(text, end) !== undefined) !== closed) return false;
    return rebuilds(text, parts, overflow, index + 1, end);
  });
}

function checkSplit(text: string, maxChars: number, maxParts: number): string[] {
  const { parts, overflow } = splitMessage(text, { maxChars, maxParts });
  expect(parts.length).toBeLessThanOrEqual(maxParts);
  for (const part of parts) {
    expect(part.length).toBeLessThanOrEqual(maxChars);
    expect(part.trim()).not.toBe('');
    expect(fences(part) % 2).toBe(0);
    expect(part).not.toMatch(LONE_SURROGATE);
  }
  if (overflow !== '') expect(parts.at(-1)?.endsWith(DEFAULT_OVERFLOW_NOTICE)).toBe(true);
  const shown =
    overflow === ''
      ? parts
      : [...parts.slice(0, -1), (parts.at(-1) ?? '').slice(0, -DEFAULT_OVERFLOW_NOTICE.length)];
  expect(rebuilds(text, shown, overflow)).toBe(true);
  return shown;
}

const soupToken = fc.constantFrom(
  'wörd',
  'x',
  ' ',
  '\n',
  '\r\n',
  '\n\n',
  '\r\n\r\n',
  FENCE,
  '```json\n',
  '```py\r\n',
  '````',
  '`',
  'é',
  '🚀',
  '👩‍👩‍👧‍👦',
  'e\u0301',
  'y'.repeat(250),
  '🚀'.repeat(130),
);
const soup = fc.array(soupToken, { maxLength: 500 }).map((tokens) => tokens.join(''));
const maxChars = fc.integer({ min: 200, max: 2_000 });

/** Markdown the way models write it: paragraphs and fenced blocks with code in them. */
const codeLine = fc.oneof(
  fc.constantFrom('  return x;', 'print(1)', '{"a": [1, 2]}', '    nested();'),
  fc.nat({ max: 300 }).map((n) => `s = "${'z'.repeat(n)}"`),
);
const block = fc
  .tuple(fc.constantFrom('', 'json', 'py', 'ts', 'c++'), fc.array(codeLine, { minLength: 1, maxLength: 60 }))
  .map(([lang, lines]) => `${FENCE}${lang}\n${lines.join('\n')}\n${FENCE}`);
const paragraph = fc
  .array(fc.constantFrom('lorem', 'ipsum', 'dolor', '🚀', 'word,'), { minLength: 1, maxLength: 120 })
  .map((w) => w.join(' '));
const markdown = fc
  .array(fc.oneof(paragraph, block), { minLength: 1, maxLength: 12 })
  .map((b) => b.join('\n\n'));

describe('splitMessage properties', () => {
  it('any text: parts ≤ maxChars, none blank, fences balanced, text rebuilt, nothing lost', () => {
    fc.assert(
      fc.property(soup, maxChars, fc.integer({ min: 1, max: 30 }), (text, max, parts) => {
        checkSplit(text, max, parts);
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary unicode strings keep every surrogate pair whole', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3_000 }), maxChars, (text, max) => {
        checkSplit(text, max, 1_000);
      }),
      { numRuns: 200 },
    );
  });

  it('markdown: no part is an empty code block, a reopened block keeps its language', () => {
    fc.assert(
      fc.property(markdown, maxChars, (text, max) => {
        for (const part of checkSplit(text, max, 1_000)) {
          const code = part.replace(/```[a-z0-9_+\-.#]*\n?/gi, '');
          expect(code.trim()).not.toBe('');
          expect(part).not.toMatch(/```[a-z0-9_+\-.#]*\n```/i);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a long code block is not split into an empty block, and reopens with its language', () => {
    const text = `intro\n\n\`\`\`json\n${'{"k": 1}\n'.repeat(400)}\`\`\``;
    const parts = checkSplit(text, 2_000, 10);
    expect(parts[0]?.startsWith('intro\n\n```json\n{')).toBe(true); // never "intro\n\n```json\n```"
    for (const part of parts.slice(1)) expect(part.startsWith('```json\n{')).toBe(true);
    const cutAfterFence = checkSplit(
      `${'a'.repeat(1_990)}\n\n\`\`\`json\n${'[1]\n'.repeat(100)}\`\`\``,
      2_000,
      10,
    );
    expect(cutAfterFence[0]).toBe('a'.repeat(1_990));
    expect(cutAfterFence[1]?.startsWith('```json\n[1]')).toBe(true);
  });
});
