import { DISCORD_FENCE_LANG_MAX_CHARS } from '../constants.ts';

/** Discord's code fence marker. */
export const FENCE = '```';
/** A language tag: letters, digits and `_+-.#` right after an opening fence, then a line break. */
const LANG_PATTERN = new RegExp(`^[a-z0-9_+\\-.#]{1,${DISCORD_FENCE_LANG_MAX_CHARS}}(?=\\r?\\n)`, 'i');
const BACKTICK = '`';

/** One ``` of the text, as Discord reads them: every ``` toggles a code block, left to right. */
export interface Fence {
  /** Index of the first backtick. */
  at: number;
  /** True when it opens a block, false when it closes one. */
  opens: boolean;
  /** Language tag of an opening fence ('' when none). */
  lang: string;
  /** Where the block's content starts (after the marker and its language tag). */
  contentStart: number;
}

/**
 * What the splitter needs to know about a text, computed once: its fences, where a cut is safe
 * (not inside a grapheme cluster, a fence marker or a language tag), and how many visible
 * characters (not whitespace, not fence markers or language tags) precede each index.
 */
export class TextMap {
  readonly text: string;
  readonly fences: Fence[] = [];
  /** `#visible[i]`: visible characters in `text[0, i)`. */
  readonly #visible: Int32Array;
  readonly #unsafe: Uint8Array;
  /** End of the text without its trailing whitespace. */
  readonly #contentEnd: number;

  constructor(text: string) {
    this.text = text;
    this.#contentEnd = text.trimEnd().length;
    this.#unsafe = new Uint8Array(text.length + 1);
    const marker = new Uint8Array(text.length);
    this.#scanFences(marker);
    this.#markGraphemes();
    this.#visible = new Int32Array(text.length + 1);
    for (let i = 0; i < text.length; i += 1) {
      const visible = marker[i] === 0 && (text[i] as string).trim() !== '';
      this.#visible[i + 1] = (this.#visible[i] as number) + (visible ? 1 : 0);
    }
  }

  #scanFences(marker: Uint8Array): void {
    const { text } = this;
    let open = false;
    for (let at = text.indexOf(FENCE); at !== -1; at = text.indexOf(FENCE, at + FENCE.length)) {
      open = !open;
      const lang = open ? (LANG_PATTERN.exec(text.slice(at + FENCE.length, at + 64))?.[0] ?? '') : '';
      const contentStart = at + FENCE.length + lang.length;
      this.fences.push({ at, opens: open, lang, contentStart });
      marker.fill(1, at, contentStart);
      // A cut inside the marker or its language tag would change how the block reads.
      this.#unsafe.fill(1, at + 1, contentStart);
    }
    // Inside a longer run of backticks only a cut between two whole markers keeps the count.
    let runStart = 0;
    for (let i = 1; i < text.length; i += 1) {
      if (text[i - 1] !== BACKTICK) runStart = i;
      else if (text[i] === BACKTICK && (i - runStart) % FENCE.length !== 0) this.#unsafe[i] = 1;
    }
  }

  #markGraphemes(): void {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (const { index, segment } of segmenter.segment(this.text))
      this.#unsafe.fill(1, index + 1, index + segment.length);
  }

  /** True when cutting at `index` splits no grapheme, no fence marker and no language tag. */
  safe(index: number): boolean {
    return this.#unsafe[index] === 0;
  }

  /** Visible characters (not whitespace, not fence markers) in `text[from, to)`. */
  visible(from: number, to: number): number {
    return (this.#visible[to] as number) - (this.#visible[from] as number);
  }

  /** The fence whose block is open at `index` (the last fence before it opens one), if any. */
  openAt(index: number): Fence | undefined {
    const last = this.fences[this.#fencesBefore(index) - 1];
    return last?.opens ? last : undefined;
  }

  /** The first fence at or after `index`, if any. */
  fenceFrom(index: number): Fence | undefined {
    return this.fences[this.#fencesBefore(index)];
  }

  /** True when `text` from `index` on is only whitespace. */
  blankFrom(index: number): boolean {
    return index >= this.#contentEnd;
  }

  /** Number of fences starting before `index`. */
  #fencesBefore(index: number): number {
    let low = 0;
    let high = this.fences.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.fences[mid] as Fence).at < index) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** `index` moved back over whitespace, not below `floor`. */
  trimBack(index: number, floor: number): number {
    let end = index;
    while (end > floor && (this.text[end - 1] as string).trim() === '') end -= 1;
    return end;
  }
}
