/**
 * The section memo of a TemplateCache: an LRU bounded by entries and by bytes. A memo key holds
 * the values it was rendered from, so both key and text count: `(key.length + text.length) × 2`
 * bytes (UTF-16 code units, what the strings occupy in memory, known in O(1)).
 */

/** Bytes an entry holds, as counted by {@link SectionMemo}. */
export function memoEntryBytes(key: string, text: string): number {
  return (key.length + text.length) * 2;
}

/** LRU of rendered sections, bounded by `maxEntries` and `maxBytes`. */
export class SectionMemo {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  /** Insertion order is recency order: the first entry is the least recently used. */
  readonly #entries = new Map<string, string>();
  #bytes = 0;

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** Entries kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes kept now (see {@link memoEntryBytes}). */
  get bytes(): number {
    return this.#bytes;
  }

  /** The text memoized for `key` (now the most recently used), or `undefined`. */
  get(key: string): string | undefined {
    const text = this.#entries.get(key);
    if (text === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, text);
    return text;
  }

  /** Memoizes `text`, evicting least recently used entries; a text larger than the byte bound is not kept. */
  set(key: string, text: string): void {
    this.#remove(key);
    const bytes = memoEntryBytes(key, text);
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, text);
    this.#bytes += bytes;
    while (this.#bytes > this.#maxBytes || this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#remove(oldest);
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #remove(key: string): void {
    const text = this.#entries.get(key);
    if (text === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= memoEntryBytes(key, text);
  }
}
