import { DISCORD_MAX_MESSAGE_CHARS, DISCORD_MAX_PARTS, DISCORD_SPLIT_MIN_FILL } from '../constants.ts';
import { FENCE, type Fence, TextMap } from './text-map.ts';

/** Options of {@link splitMessage}. */
export interface SplitOptions {
  /** Longest part, in UTF-16 code units. @default DISCORD_MAX_MESSAGE_CHARS (2000) */
  maxChars?: number;
  /** Most parts; the text that does not fit in them is returned as `overflow`. @default DISCORD_MAX_PARTS (10) */
  maxParts?: number;
  /** Appended to the last part when there is an overflow. @default DEFAULT_OVERFLOW_NOTICE */
  overflowNotice?: string;
}

/** Result of {@link splitMessage}. */
export interface SplitResult {
  /**
   * The parts: each at most `maxChars` long, never blank, with balanced code fences (a block open
   * at a cut is closed at the end of the part and reopened, with its language, in the next).
   */
  parts: string[];
  /** The text after the last part when `maxParts` was not enough ('' normally): send it as a file. */
  overflow: string;
}

/** Default text ending the last part when the rest of the reply goes as an attached file. */
export const DEFAULT_OVERFLOW_NOTICE = '\n\n… (the rest of the reply is in the attached file)';

const CLOSER = `\n${FENCE}`;
const SEPARATORS = ['\n\n', '\n', ' '] as const;

/** How strict a cut is: 0 keeps code blocks non-empty on both sides, 1 only parts visible, 2 only non-blank. */
type Strictness = 0 | 1 | 2;
const STRICTNESS: readonly Strictness[] = [0, 1, 2];

interface Cut {
  /** End of the part's text (after trimming whitespace). */
  end: number;
  /** Where the rest starts. */
  restAt: number;
}

/** Splits one text: the state of the cut in progress. */
class Splitter {
  readonly #map: TextMap;

  constructor(map: TextMap) {
    this.#map = map;
  }

  /** The reopened fence a part starting at `start` begins with ('' outside a block). */
  opener(start: number): string {
    const open = this.#map.openAt(start);
    return open === undefined ? '' : `${FENCE}${open.lang}\n`;
  }

  /** The part from `start` to `end`: opener, text, and a closer when a block is open at `end`. */
  part(start: number, end: number): string {
    const closer = this.#map.openAt(end) === undefined ? '' : CLOSER;
    const body = this.#map.text.slice(start, end);
    return `${this.opener(start)}${closer ? body.trimEnd() : body}${closer}`;
  }

  /** The best cut of a part starting at `start` that fits `room` characters, if any. */
  cut(start: number, room: number): Cut | undefined {
    for (const strictness of STRICTNESS) {
      const found = this.#cutWith(start, room, strictness);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * A cut for text with no safe cut in reach (a grapheme cluster longer than a part): at the
   * room's end, moved back off a surrogate pair.
   */
  forcedCut(start: number, room: number): Cut {
    const { text } = this.#map;
    let at = Math.min(text.length, start + room - this.opener(start).length - CLOSER.length);
    if (at > start + 1 && /[\uDC00-\uDFFF]/.test(text[at] ?? '')) at -= 1;
    return { end: at, restAt: at };
  }

  #cutWith(start: number, room: number, strictness: Strictness): Cut | undefined {
    const limit = start + room - this.opener(start).length;
    const minFill = start + Math.floor((limit - start) * DISCORD_SPLIT_MIN_FILL);
    for (const floor of [minFill, start + 1]) {
      for (const separator of SEPARATORS) {
        const found = this.#bySeparator(start, room, limit, floor, separator, strictness);
        if (found) return found;
      }
    }
    for (let at = Math.min(limit, this.#map.text.length - 1); at > start; at -= 1) {
      if (this.#map.safe(at) && this.#valid(start, room, at, at, strictness)) return { end: at, restAt: at };
    }
    return undefined;
  }

  #bySeparator(
    start: number,
    room: number,
    limit: number,
    floor: number,
    separator: string,
    strictness: Strictness,
  ): Cut | undefined {
    const { text } = this.#map;
    for (let at = text.lastIndexOf(separator, limit); at >= floor && at > start; ) {
      const restAt = at + separator.length;
      if (this.#valid(start, room, at, restAt, strictness)) return { end: at, restAt };
      at = at === 0 ? -1 : text.lastIndexOf(separator, at - 1);
    }
    return undefined;
  }

  /** Whether cutting at `cutAt` (rest from `restAt`) makes a good part and leaves a good rest. */
  #valid(start: number, room: number, cutAt: number, restAt: number, strictness: Strictness): boolean {
    const map = this.#map;
    const end = map.trimBack(cutAt, start);
    const open = map.openAt(end);
    const length = this.opener(start).length + (end - start) + (open ? CLOSER.length : 0);
    if (end <= start || length > room) return false;
    if (strictness === 2) return map.text.slice(start, end).trim() !== '';
    if (map.visible(start, end) === 0) return false;
    const restBlank = map.blankFrom(restAt);
    if (!restBlank && map.visible(restAt, map.text.length) === 0) return false;
    if (strictness === 1 || open === undefined) return true;
    return this.#blocksNotEmpty(start, end, restAt, open, restBlank);
  }

  /** A block cut in two shows code on both sides: no part ends or starts with an empty block. */
  #blocksNotEmpty(start: number, end: number, restAt: number, open: Fence, restBlank: boolean): boolean {
    const map = this.#map;
    if (open.at >= start && map.visible(open.contentStart, end) === 0) return false;
    if (restBlank) return true;
    const closing = map.fenceFrom(restAt);
    return map.visible(restAt, closing?.at ?? map.text.length) > 0;
  }
}

/**
 * Splits `content` into Discord-sized parts on paragraph, then line, then word boundaries (a hard
 * cut only when no boundary works, never inside a surrogate pair, an emoji cluster, a fence
 * marker or its language tag). A code block open at a cut is closed at the end of the part and
 * reopened with the same language tag at the start of the next; no part is blank or an empty code
 * block. Nothing is dropped: past `maxParts` the last part ends with `overflowNotice` and the
 * rest of the text is returned as `overflow` (the sender attaches it as a text file).
 */
export function splitMessage(content: string, options: SplitOptions = {}): SplitResult {
  const maxChars = options.maxChars ?? DISCORD_MAX_MESSAGE_CHARS;
  const maxParts = options.maxParts ?? DISCORD_MAX_PARTS;
  const notice = options.overflowNotice ?? DEFAULT_OVERFLOW_NOTICE;
  const map = new TextMap(content);
  const splitter = new Splitter(map);
  const parts: string[] = [];
  let start = 0;
  while (!map.blankFrom(start)) {
    const whole = splitter.part(start, content.length);
    if (whole.length <= maxChars) {
      parts.push(whole);
      return { parts, overflow: '' };
    }
    const last = parts.length === maxParts - 1;
    let cut = splitter.cut(start, last ? maxChars - notice.length : maxChars);
    if (cut === undefined && /\s/.test(content[start] as string)) {
      start = skipBlank(content, start); // a blank run longer than a part: whitespace at a cut
      continue;
    }
    cut ??= splitter.forcedCut(start, last ? maxChars - notice.length : maxChars);
    parts.push(`${splitter.part(start, map.trimBack(cut.end, start))}${last ? notice : ''}`);
    if (last) return { parts, overflow: content.slice(cut.restAt) };
    start = cut.restAt;
  }
  return { parts, overflow: '' };
}

/** `start` moved past the whitespace it begins with. */
function skipBlank(content: string, start: number): number {
  let index = start;
  while (index < content.length && (content[index] as string).trim() === '') index += 1;
  return index;
}

/** True when `text` ends inside a code fence (an odd ``` left open). */
export function endsInFence(text: string): boolean {
  return new TextMap(text).openAt(text.length) !== undefined;
}
