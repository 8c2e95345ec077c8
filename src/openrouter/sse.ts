/**
 * An incremental Server-Sent Events parser (WHATWG rules, `data` field only): lines split across
 * chunks, LF / CRLF / CR line ends, multi-line `data:` joined with `\n`, `:` comment lines (such
 * as OpenRouter's `: OPENROUTER PROCESSING`) ignored, UTF-8 sequences split across chunks.
 */
export class SseParser {
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #data: string[] = [];
  #skipLeadingLf = false;

  /**
   * Feeds raw bytes (or text); returns the `data` payload of every event completed by this chunk.
   * Comment lines and fields other than `data` are dropped.
   */
  feed(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    let buffer = this.#buffer + text;
    const events: string[] = [];
    let start = 0;
    if (this.#skipLeadingLf && buffer.charCodeAt(0) === 10) start = 1;
    this.#skipLeadingLf = false;
    for (;;) {
      const end = nextLineEnd(buffer, start);
      if (end === -1) break;
      this.#line(buffer.slice(start, end), events);
      if (buffer.charCodeAt(end) === 13) {
        if (end + 1 === buffer.length) {
          this.#skipLeadingLf = true;
          start = end + 1;
          break;
        }
        start = buffer.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    buffer = buffer.slice(start);
    this.#buffer = buffer;
    return events;
  }

  /** Ends the input: a last event without its blank line is dispatched (the WHATWG rule drops it; we keep it). */
  end(): string[] {
    const events: string[] = [];
    if (this.#buffer.length > 0) this.#line(this.#buffer, events);
    this.#buffer = '';
    this.#line('', events);
    return events;
  }

  #line(line: string, events: string[]): void {
    if (line.length === 0) {
      if (this.#data.length > 0) {
        const data = this.#data.length === 1 ? this.#data[0]! : this.#data.join('\n');
        this.#data = [];
        // WHATWG: an event whose data buffer is empty (a lone `data:` line) is not dispatched.
        if (data !== '') events.push(data);
      }
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    this.#data.push(value);
  }
}

function nextLineEnd(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (cr === -1) return lf;
  if (lf === -1) return cr;
  return Math.min(cr, lf);
}
