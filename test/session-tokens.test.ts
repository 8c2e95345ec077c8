import { estimateTokens } from 'chatlane';

/** The naive rule of thumb `estimateTokens` is measured against: four characters per token. */
const NAIVE_CHARS_PER_TOKEN = 4;

import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { TOKEN_CORPUS } from './fixtures/token-corpus.ts';

/** Signed relative error of `estimate` against `reference`. */
const relativeError = (estimate: number, reference: number) => (estimate - reference) / reference;

function measure(count: (text: string) => number) {
  let estimated = 0;
  let reference = 0;
  const perCategory: Record<string, number> = {};
  for (const [category, samples] of Object.entries(TOKEN_CORPUS)) {
    const e = samples.reduce((sum, text) => sum + count(text), 0);
    const r = samples.reduce((sum, text) => sum + countTokens(text), 0);
    perCategory[category] = relativeError(e, r);
    estimated += e;
    reference += r;
  }
  return { aggregate: relativeError(estimated, reference), perCategory, estimated, reference };
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('estimateTokens (default token counter) against gpt-tokenizer o200k_base', () => {
  it('is within ±15% in aggregate and within ±15% on every category of the corpus', () => {
    const result = measure(estimateTokens);
    console.info(
      `estimateTokens vs o200k_base: aggregate ${percent(result.aggregate)} (${result.estimated} vs ${result.reference} tokens);`,
      Object.entries(result.perCategory)
        .map(([category, error]) => `${category} ${percent(error)}`)
        .join(', '),
    );
    expect(Math.abs(result.aggregate)).toBeLessThanOrEqual(0.15);
    for (const error of Object.values(result.perCategory)) expect(Math.abs(error)).toBeLessThanOrEqual(0.15);
  });

  it('beats the naive characters/4 rule on the same corpus', () => {
    const naive = measure((text) => Math.ceil(text.length / NAIVE_CHARS_PER_TOKEN));
    const ours = measure(estimateTokens);
    const worst = (r: typeof ours) => Math.max(...Object.values(r.perCategory).map(Math.abs));
    expect(worst(ours)).toBeLessThan(worst(naive));
  });

  it('never throws and stays non-negative on odd input', () => {
    const odd = [
      '',
      ' ',
      '\n\n\n',
      '\uD83D',
      '\uDC00abc',
      '😀'.repeat(1_000),
      'x'.repeat(100_000),
      '\u0000\u200b',
    ];
    for (const text of odd) {
      const tokens = estimateTokens(text);
      expect(Number.isInteger(tokens)).toBe(true);
      expect(tokens).toBeGreaterThanOrEqual(0);
    }
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('hello')).toBe(1);
  });
});
