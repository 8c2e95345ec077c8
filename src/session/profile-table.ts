import QuickLRU from 'quick-lru';

interface ProfileRecord<P> {
  readonly value: P;
  readonly expiresAt: number;
  /** Guilds this profile is tied to; `undefined` until the first one (saves an array per DM-only user). */
  guildIds: string[] | undefined;
}

/**
 * An LRU-bounded (quick-lru) table of profiles, each with its own expiry and guild tags. Expiry
 * is checked against the injected clock on read and swept by `sweep()`.
 */
export class ProfileTable<P> {
  readonly #lru: QuickLRU<string, ProfileRecord<P>>;
  readonly #clock: () => number;
  #evictions = 0;
  #expirations = 0;

  constructor(maxSize: number, clock: () => number) {
    this.#clock = clock;
    this.#lru = new QuickLRU({
      maxSize,
      // quick-lru also reports a key re-set while its old copy was rotating out: not an eviction.
      onEviction: (userId, record) => {
        if (this.#lru.peek(userId) === record) this.#evictions += 1;
      },
    });
  }

  /** The live profile, or `undefined` (an expired one is dropped). */
  get(userId: string): P | undefined {
    return this.#live(userId)?.value;
  }

  /** True when a live profile is tied to `guildId`. */
  isTagged(userId: string, guildId: string): boolean {
    return this.#live(userId)?.guildIds?.includes(guildId) ?? false;
  }

  /** Ties a live profile to `guildId`; false when there is no live profile. */
  tag(userId: string, guildId: string): boolean {
    const record = this.#live(userId);
    if (!record) return false;
    if (!record.guildIds) record.guildIds = [guildId];
    else if (!record.guildIds.includes(guildId)) record.guildIds.push(guildId);
    return true;
  }

  /** Stores a profile that expires `ttlMs` from now. */
  set(userId: string, value: P, ttlMs: number, guildIds: readonly string[]): void {
    const expiresAt = this.#clock() + ttlMs;
    this.#lru.set(userId, { value, expiresAt, guildIds: guildIds.length > 0 ? [...guildIds] : undefined });
  }

  /** Drops a profile; true when there was one. */
  delete(userId: string): boolean {
    return this.#lru.delete(userId);
  }

  /** Drops every profile tied to `guildId`; returns their user ids. O(profiles held). */
  deleteGuild(guildId: string): string[] {
    const userIds: string[] = [];
    for (const [userId, record] of this.#lru) {
      if (record.guildIds?.includes(guildId)) userIds.push(userId);
    }
    for (const userId of userIds) this.#lru.delete(userId);
    return userIds;
  }

  /** Drops every expired profile; returns how many. */
  sweep(): number {
    const now = this.#clock();
    const expired: string[] = [];
    for (const [userId, record] of this.#lru) if (record.expiresAt <= now) expired.push(userId);
    for (const userId of expired) this.#lru.delete(userId);
    this.#expirations += expired.length;
    return expired.length;
  }

  /** Drops everything. */
  clear(): void {
    this.#lru.clear();
  }

  get size(): number {
    return this.#lru.size;
  }

  get evictions(): number {
    return this.#evictions;
  }

  get expirations(): number {
    return this.#expirations;
  }

  #live(userId: string): ProfileRecord<P> | undefined {
    const record = this.#lru.get(userId);
    if (record === undefined) return undefined;
    if (record.expiresAt > this.#clock()) return record;
    this.#lru.delete(userId);
    this.#expirations += 1;
    return undefined;
  }
}
