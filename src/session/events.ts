import type { EventLogTable } from '../internal/events.ts';
import type { ProfileLoadError, SessionStoreError } from './errors.ts';
import type { CorruptEntry } from './store.ts';

/** Where an invalidation came from: this cache, or another process through the shared store. */
export type InvalidationOrigin = 'local' | 'remote';

/** Events of {@link SessionCache} (subscribe with `cache.on(event, listener)`). */
export type SessionCacheEvents = {
  /** The loader produced a profile (once per single-flight load). */
  profileLoaded: { readonly userId: string; readonly durationMs: number };
  /** The loader failed; every waiter got `error`. */
  profileLoadFailed: { readonly userId: string; readonly error: ProfileLoadError };
  /** A user's profile or a guild's entries were invalidated. */
  invalidated: { readonly scope: 'user' | 'guild'; readonly id: string; readonly origin: InvalidationOrigin };
  /** The background cleanup ran. */
  cleanup: { readonly removed: number };
  /**
   * A store call failed or timed out (`SessionStoreTimeoutError`) and the cache degraded: a
   * profile read became a miss (or the local copy), a profile write "not cached", a history read
   * the local copy, an append was kept locally, a claim held locally. Invalidations throw instead.
   */
  storeError: { readonly operation: string; readonly error: SessionStoreError };
  /** A corrupt stored value was dropped (the key repaired); the call went on without it. */
  corruptEntry: CorruptEntry;
};

/** The events the cache logs through its `logger` option: a slow or down store costs the context, not the answer. */
export const SESSION_LOG_TABLE: EventLogTable<SessionCacheEvents> = {
  storeError: { level: 'warn', name: 'session_store_error' },
  corruptEntry: { level: 'warn', name: 'session_corrupt_entry' },
  // Another process (or this one) dropped profiles / conversations: worth a line for operators.
  invalidated: { level: 'info', name: 'session_invalidated' },
};

/** What {@link SessionCache.getStats} returns. */
export interface SessionCacheStats {
  /** `getProfile` calls answered by the store. */
  readonly hits: number;
  /** `getProfile` calls that had to load (or join a load). */
  readonly misses: number;
  /** hits / (hits + misses); 0 before the first call (seed target > 0.8). */
  readonly hitRate: number;
  /** Loader calls made (single-flight: at most one per user at a time). */
  readonly loads: number;
  /** Loader calls that failed. */
  readonly loadErrors: number;
  /** Misses that joined a load already in flight instead of starting one. */
  readonly coalesced: number;
  /** Loads in flight now. */
  readonly inflight: number;
  /** Entries the store dropped under LRU pressure. */
  readonly evictions: number;
  /** Entries the store dropped because their TTL passed. */
  readonly expirations: number;
  /** `invalidateUser`/`invalidateServer` calls on this cache. */
  readonly invalidations: number;
  /** Invalidations received from other processes (shared store). */
  readonly remoteInvalidations: number;
  /** Profiles held in process (`undefined` when the store cannot tell). */
  readonly profiles: number | undefined;
  /** Conversations held in process (`undefined` when the store cannot tell). */
  readonly conversations: number | undefined;
  /** Messages appended. */
  readonly appends: number;
  /** `getHistory` calls. */
  readonly historyReads: number;
  /** Store failures and timeouts absorbed (see the `storeError` event). */
  readonly storeErrors: number;
  /** Calls answered without the store (local copy, loader, local claim) after a store failure. */
  readonly storeFallbacks: number;
  /** Corrupt stored values dropped or repaired (see the `corruptEntry` event). */
  readonly corruptEntries: number;
  /** `claimMessage` calls that returned false (a duplicate delivery). */
  readonly duplicateMessages: number;
}

/** The counters a cache increments (the counting part of {@link SessionCacheStats}). */
export type SessionCounters = {
  -readonly [K in
    | 'hits'
    | 'misses'
    | 'loads'
    | 'loadErrors'
    | 'coalesced'
    | 'invalidations'
    | 'remoteInvalidations'
    | 'appends'
    | 'historyReads'
    | 'storeErrors'
    | 'storeFallbacks'
    | 'corruptEntries'
    | 'duplicateMessages']: number;
};

/** All counters at zero. */
export function newCounters(): SessionCounters {
  return {
    hits: 0,
    misses: 0,
    loads: 0,
    loadErrors: 0,
    coalesced: 0,
    invalidations: 0,
    remoteInvalidations: 0,
    appends: 0,
    historyReads: 0,
    storeErrors: 0,
    storeFallbacks: 0,
    corruptEntries: 0,
    duplicateMessages: 0,
  };
}
