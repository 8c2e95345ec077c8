import { DISCORD_MAX_MESSAGE_CHARS, DISCORD_MAX_PARTS, DISCORD_SPLIT_MIN_FILL } from '../constants.ts';

const FENCE = '```';
/** Discord's code-block language tag: letters, digits and `_+-.#`, directly followed by a newline. */
const LANG_PATTERN = /^[a-z0-9_+\-.#]+(?=\n)/i;

/** Options of {@link splitMessage}. */
export interface SplitOptions {
  /** Longest part, in UTF-16 code units. @default DISCORD_MAX_MESSAGE_CHARS (2000) */
  maxChars?: number;
  /** Most parts; past this the last part ends with `cutNotice`. @default DISCORD_MAX_PARTS (10) */
  maxParts?: number;
  /** Text appended to the last part when the rest had to be cut. */
  cutNotice?: (droppedChars: number) => string;
}

/** Result of {@link splitMessage}. */
export interface SplitResult {
  /** The parts, each at most `maxChars` long, code fences closed and reopened across parts. */
  parts: string[];
  /** Characters of the input not shown because `maxParts` was reached (0 when nothing was cut). */
  droppedChars: number;
}

/** Default text appended to the last part when a reply is longer than `maxParts` messages. */
export function defaultCutNotice(droppedChars: number): string {
  return `\n\n… (reply cut: ${droppedChars} more characters not shown)`;
}

interface FenceState {
  /** Language tag of the open fence ('' when none), or `undefined` when no fence is open. */
  lang: string | undefined;
  /** Index (in the scanned text) of the ``` that opened the fence. */
  openAt: number;
}

/** Fence state after `text`, starting from `initial` (Discord toggles at every ```). */
function fenceAfter(text: string, initial: string | undefined): FenceState {
  let lang = initial;
  let openAt = -1;
  let index = text.indexOf(FENCE);
  while (index !== -1) {
    if (lang === undefined) {
      lang = LANG_PATTERN.exec(text.slice(index + FENCE.length))?.[0] ?? '';
      openAt = index;
    } else {
      lang = undefined;
    }
    index = text.indexOf(FENCE, index + FENCE.length);
  }
  return { lang, openAt };
}

/** True when `text` ends inside a code fence (an odd ``` left open). */
export function endsInFence(text: string): boolean {
  return fenceAfter(text, undefined).lang !== undefined;
}

function lastBoundary(text: string, budget: number, separator: string, minAt: number): number {
  const at = text.lastIndexOf(separator, budget);
  return at >= minAt && at > 0 ? at : -1;
}

/** A hard cut at or below `budget` that splits neither a surrogate pair nor a grapheme cluster. */
function hardCut(text: string, budget: number): number {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let cut = 0;
  // Segment the whole text (lazily): a slice could cut a cluster into pieces that look whole.
  for (const { index, segment } of segmenter.segment(text)) {
    if (index + segment.length > budget) break;
    cut = index + segment.length;
  }
  let safe = cut > 0 ? cut : Math.min(budget, text.length);
  // Never cut inside a run of backticks (it would break a fence or inline code marker).
  while (safe > 1 && text[safe - 1] === '`' && text[safe] === '`') safe -= 1;
  return text[safe - 1] === '`' && text[safe] === '`' ? cut : safe;
}

/** Where to cut `text` so the first piece is ≤ `budget`: [end of piece, start of the rest]. */
function findCut(text: string, budget: number): [number, number] {
  const minAt = Math.floor(budget * DISCORD_SPLIT_MIN_FILL);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = lastBoundary(text, budget, separator, minAt);
    if (at !== -1) return [at, at + separator.length];
  }
  for (const separator of ['\n', ' ']) {
    const at = lastBoundary(text, budget, separator, 1);
    if (at !== -1) return [at, at + separator.length];
  }
  const cut = hardCut(text, budget);
  return [cut, cut];
}

interface Piece {
  body: string;
  rest: string;
  fence: string | undefined;
}

/** Cuts one part of at most `room` characters off `text`, closing an open fence at its end. */
function cutPiece(text: string, room: number, openLang: string | undefined, opener: string): Piece {
  let budget = room - opener.length;
  for (;;) {
    let [end, restAt] = findCut(text, budget);
    let state = fenceAfter(text.slice(0, end), openLang);
    if (state.lang !== undefined && state.openAt > 0 && text.slice(state.openAt, end).indexOf('\n') === -1) {
      // The cut lands on the fence's own opening line: cut before the fence instead.
      end = state.openAt;
      restAt = state.openAt;
      state = fenceAfter(text.slice(0, end), openLang);
    }
    const closer = state.lang === undefined ? '' : `\n${FENCE}`;
    if (opener.length + end + closer.length <= room || budget <= closer.length) {
      return {
        body: `${opener}${text.slice(0, end).trimEnd()}${closer}`,
        rest: text.slice(restAt),
        fence: state.lang,
      };
    }
    budget -= closer.length;
  }
}

/**
 * Splits `content` into Discord-sized parts on paragraph, then line, then word boundaries (a hard
 * cut only when a single word is longer than a part, never inside a surrogate pair or emoji).
 * A code fence open at a split is closed at the end of the part and reopened, with the same
 * language tag, at the start of the next. Nothing is dropped silently: past `maxParts` the last
 * part ends with a notice saying how much was cut.
 */
export function splitMessage(content: string, options: SplitOptions = {}): SplitResult {
  const maxChars = options.maxChars ?? DISCORD_MAX_MESSAGE_CHARS;
  const maxParts = options.maxParts ?? DISCORD_MAX_PARTS;
  const cutNotice = options.cutNotice ?? defaultCutNotice;
  const parts: string[] = [];
  let rest = content;
  let lang: string | undefined;
  // A whitespace-only rest is not worth a message (Discord refuses it as empty, 50006).
  while (rest.trim().length > 0) {
    const opener = lang === undefined ? '' : `${FENCE}${lang}\n`;
    const last = opener.length + rest.length <= maxChars ? rest : rest.trimEnd();
    if (opener.length + last.length <= maxChars) {
      parts.push(`${opener}${last}`);
      return { parts, droppedChars: 0 };
    }
    if (parts.length === maxParts - 1)
      return { parts, droppedChars: pushCutPart(parts, rest, maxChars, lang, cutNotice) };
    const piece = cutPiece(rest, maxChars, lang, opener);
    if (piece.body.trim().length > 0) parts.push(piece.body);
    rest = piece.rest;
    lang = piece.fence;
  }
  return { parts, droppedChars: 0 };
}

function pushCutPart(
  parts: string[],
  rest: string,
  maxChars: number,
  lang: string | undefined,
  cutNotice: (dropped: number) => string,
): number {
  const opener = lang === undefined ? '' : `${FENCE}${lang}\n`;
  const reserve = cutNotice(rest.length).length;
  const piece = cutPiece(rest, maxChars - reserve, lang, opener);
  const dropped = piece.rest.length;
  parts.push(`${piece.body}${cutNotice(dropped)}`);
  return dropped;
}
