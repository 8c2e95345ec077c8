import QuickLRU from 'quick-lru';

/**
 * Keys claimed in this process, each until its own expiry (injected clock), LRU-bounded by
 * quick-lru (which keeps between `maxSize` and 2 × `maxSize` keys). A key pushed out by the bound
 * can be claimed again: size the bound for the replays you expect within the TTL.
 */
export class ClaimTable {
  readonly #lru: QuickLRU<string, number>;
  readonly #clock: () => number;

  constructor(maxSize: number, clock: () => number) {
    this.#lru = new QuickLRU({ maxSize });
    this.#clock = clock;
  }

  /** True for the first claim of `key` within `ttlMs` (the claim then holds until it expires). */
  claim(key: string, ttlMs: number): boolean {
    const now = this.#clock();
    const expiresAt = this.#lru.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.#lru.set(key, now + ttlMs);
    return true;
  }

  /** Gives a claim back (its owner gave up before acting on it). */
  release(key: string): void {
    this.#lru.delete(key);
  }

  /** Keys held (expired ones included until they are pushed out or re-claimed). */
  get size(): number {
    return this.#lru.size;
  }

  /** Drops every claim. */
  clear(): void {
    this.#lru.clear();
  }
}
