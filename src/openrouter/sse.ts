/**
 * An incremental Server-Sent Events parser (WHATWG rules, `data` field only): lines split across
 * chunks, LF / CRLF / CR line ends, multi-line `data:` joined with `\n`, `:` comment lines (such
 * as OpenRouter's `: OPENROUTER PROCESSING`) ignored, UTF-8 sequences split across chunks.
 *
 * Linear in the bytes received: each byte is scanned for a line end once (a cached position per
 * line-end byte), an unfinished line is kept as a list of byte slices and joined once, when it
 * ends, and only `data` values are decoded. Lines end at ASCII bytes, which never occur inside a
 * multi-byte UTF-8 sequence, so decoding each whole line on its own is exact.
 */
import { OR_MAX_EVENT_BYTES } from '../constants.ts';
import { ResponseTooLargeError } from './errors.ts';

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA = [0x64, 0x61, 0x74, 0x61]; // "data"

const encoder = new TextEncoder();

/** Options of {@link SseParser}. */
export interface SseParserOptions {
  /**
   * Largest event accepted, in bytes (its `data` lines plus the line being read; a comment or
   * other field line counts too). More throws {@link ResponseTooLargeError} at once, before the
   * rest of it is buffered. @default 4 MiB (OR_MAX_EVENT_BYTES)
   */
  maxEventBytes?: number;
  /** Model named by a {@link ResponseTooLargeError}. @default '' */
  model?: string;
}

/** Positions of the next CR and LF in one chunk, found once and reused until passed. */
class LineEnds {
  readonly bytes: Uint8Array;
  /** Bytes scanned so far: at most twice the chunk length. */
  scanned = 0;
  #cr = -2;
  #lf = -2;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** The first CR or LF at or after `from`, or -1. */
  next(from: number): number {
    if (this.#cr !== -1 && this.#cr < from) this.#cr = this.#find(CR, from);
    if (this.#lf !== -1 && this.#lf < from) this.#lf = this.#find(LF, from);
    if (this.#cr === -1) return this.#lf;
    if (this.#lf === -1) return this.#cr;
    return Math.min(this.#cr, this.#lf);
  }

  #find(byte: number, from: number): number {
    const at = this.bytes.indexOf(byte, from);
    this.scanned += (at === -1 ? this.bytes.length : at + 1) - from;
    return at;
  }
}

/** Parses a Server-Sent Events byte stream into the `data` payloads of its events. */
export class SseParser {
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  readonly #maxEventBytes: number;
  readonly #model: string;
  /** Slices of the line not yet ended. */
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** `data` values of the event being read. */
  #data: string[] = [];
  #dataBytes = 0;
  #skipLeadingLf = false;
  #firstLine = true;
  #scanned = 0;

  constructor(options: SseParserOptions = {}) {
    this.#maxEventBytes = options.maxEventBytes ?? OR_MAX_EVENT_BYTES;
    this.#model = options.model ?? '';
  }

  /** Bytes scanned for line ends so far: at most twice the bytes fed, however the input is cut. */
  get scannedBytes(): number {
    return this.#scanned;
  }

  /**
   * Feeds raw bytes (or text); returns the `data` payload of every event completed by this chunk.
   * Comment lines and fields other than `data` are dropped. Throws {@link ResponseTooLargeError}
   * when an event grows past `maxEventBytes`.
   */
  feed(chunk: Uint8Array | string): string[] {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    const events: string[] = [];
    if (bytes.length === 0) return events;
    let start = 0;
    if (this.#skipLeadingLf && bytes[0] === LF) start = 1;
    this.#skipLeadingLf = false;
    const ends = new LineEnds(bytes);
    try {
      for (;;) {
        const end = ends.next(start);
        if (end === -1) {
          this.#keep(bytes.subarray(start));
          break;
        }
        this.#line(this.#take(bytes.subarray(start, end)), events);
        if (bytes[end] === LF) start = end + 1;
        else if (end + 1 === bytes.length) {
          this.#skipLeadingLf = true;
          start = end + 1;
        } else start = bytes[end + 1] === LF ? end + 2 : end + 1;
      }
    } finally {
      this.#scanned += ends.scanned;
    }
    return events;
  }

  /** Ends the input: a last event without its blank line is dispatched (the WHATWG rule drops it; we keep it). */
  end(): string[] {
    const events: string[] = [];
    if (this.#pendingBytes > 0) this.#line(this.#take(new Uint8Array(0)), events);
    this.#line(new Uint8Array(0), events);
    return events;
  }

  /** Keeps the unfinished tail of a chunk. */
  #keep(tail: Uint8Array): void {
    if (tail.length === 0) return;
    this.#pending.push(tail);
    this.#pendingBytes += tail.length;
    this.#checkSize(this.#pendingBytes);
  }

  /** The whole line ending with `last`: the pending slices joined once. */
  #take(last: Uint8Array): Uint8Array {
    if (this.#pending.length === 0) {
      this.#checkSize(last.length);
      return last;
    }
    this.#pending.push(last);
    const line = Buffer.concat(this.#pending, this.#pendingBytes + last.length);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#checkSize(line.length);
    return line;
  }

  #checkSize(lineBytes: number): void {
    const eventBytes = this.#dataBytes + lineBytes;
    if (eventBytes > this.#maxEventBytes) {
      throw new ResponseTooLargeError({
        what: 'event',
        limitBytes: this.#maxEventBytes,
        model: this.#model,
      });
    }
  }

  #line(line: Uint8Array, events: string[]): void {
    let start = 0;
    if (this.#firstLine) {
      this.#firstLine = false;
      // WHATWG: a BOM at the very start of the stream is dropped.
      if (line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) start = 3;
    }
    if (line.length === start) {
      this.#dispatch(events);
      return;
    }
    if (line[start] === COLON || !isDataField(line, start)) return;
    let value = start + DATA.length;
    if (line[value] === COLON) value += 1;
    if (line[value] === SPACE) value += 1;
    this.#data.push(this.#decoder.decode(line.subarray(value)));
    this.#dataBytes += line.length - value + 1;
  }

  #dispatch(events: string[]): void {
    if (this.#data.length === 0) return;
    const data = this.#data.length === 1 ? this.#data[0]! : this.#data.join('\n');
    this.#data = [];
    this.#dataBytes = 0;
    // WHATWG: an event whose data buffer is empty (a lone `data:` line) is not dispatched.
    if (data !== '') events.push(data);
  }
}

/** True when the line at `start` is the field `data` (`data`, or `data:` and a value). */
function isDataField(line: Uint8Array, start: number): boolean {
  for (let i = 0; i < DATA.length; i += 1) if (line[start + i] !== DATA[i]) return false;
  const after = start + DATA.length;
  return after === line.length || line[after] === COLON;
}
