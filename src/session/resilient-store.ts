import { isChatlaneError } from '../errors.ts';
import type { Clock } from '../internal/clock.ts';
import { ClaimTable } from './claim-table.ts';
import { SessionStoreError } from './errors.ts';
import { MemorySessionStore } from './memory-store.ts';
import type {
  GuildDeletion,
  HistoryAppendOptions,
  ProfileWriteOptions,
  SessionStore,
  StoreInvalidation,
} from './store.ts';
import { isCallEnded, StoreGuard } from './store-guard.ts';
import type { HistoryMessage } from './types.ts';

/** The local side of a {@link ResilientStore}: present only in front of a store given by the user. */
export interface LocalCopy<P, M extends HistoryMessage> {
  /** Profiles loaded and messages appended by this process (bounded). */
  readonly store: MemorySessionStore<P, M>;
  /** Message ids claimed by this process (bounded, expiring). */
  readonly claims: ClaimTable;
  /** Bounds every call to the user's store. */
  readonly guard: StoreGuard;
}

/** What {@link ResilientStore} reports. */
export interface DegradeReport {
  /** A store call failed or timed out; the call was answered without it (or a write was kept locally). */
  storeError(operation: string, error: SessionStoreError): void;
  /** A call was answered from the local copy (or the loader) instead of the store. */
  fallback(operation: string): void;
}

/**
 * The cache's view of its store. In front of a user-given store every call is bounded (timeout,
 * caller's signal, close) and a failure degrades instead of throwing: profile reads fall back to
 * profiles this process loaded, history reads to the messages this process appended, appends are
 * kept locally, claims are held locally. Nothing is marked "down": the next call tries the store
 * again. The default in-process store is called directly (it has nothing to wait for).
 */
export class ResilientStore<P, M extends HistoryMessage> {
  readonly #store: SessionStore<P, M>;
  readonly #local: LocalCopy<P, M> | undefined;
  readonly #report: DegradeReport;

  constructor(store: SessionStore<P, M>, local: LocalCopy<P, M> | undefined, report: DegradeReport) {
    this.#store = store;
    this.#local = local;
    this.#report = report;
  }

  getProfile(userId: string, guildId: string | undefined, signal?: AbortSignal): Promise<P | undefined> {
    return this.#degrading(
      'getProfile',
      () => this.#store.getProfile(userId, guildId),
      async (local) => local?.getProfile(userId, guildId),
      signal,
    );
  }

  /** Never rejects: a failed write means "not cached in the store" (it is kept locally). */
  async setProfile(userId: string, profile: P, options: ProfileWriteOptions): Promise<void> {
    const local = this.#local?.store.setProfile(userId, profile, options);
    const write = this.#degrading(
      'setProfile',
      () => this.#store.setProfile(userId, profile, options),
      async () => undefined,
    );
    await Promise.allSettled([local, write]);
  }

  async appendHistory(
    key: string,
    message: M,
    tokens: number,
    options: HistoryAppendOptions,
    signal?: AbortSignal,
  ): Promise<void> {
    const local = this.#local?.store.appendHistory(key, message, tokens, options);
    const write = this.#degrading(
      'appendHistory',
      () => this.#store.appendHistory(key, message, tokens, options),
      async () => undefined,
      signal,
    );
    await Promise.all([local, write]);
  }

  getHistory(key: string, budgetTokens: number, signal?: AbortSignal): Promise<M[]> {
    return this.#degrading(
      'getHistory',
      () => this.#store.getHistory(key, budgetTokens),
      async (local) => (await local?.getHistory(key, budgetTokens)) ?? [],
      signal,
    );
  }

  /** Claimed here first (a replay to this process is caught without the store), then in the store. */
  async claim(key: string, ttlMs: number, signal?: AbortSignal): Promise<boolean> {
    const local = this.#local;
    if (!local) return this.#store.claim(key, ttlMs);
    if (!local.claims.claim(key, ttlMs)) return false;
    try {
      return await this.#degrading(
        'claim',
        () => this.#store.claim(key, ttlMs),
        async () => true,
        signal,
      );
    } catch (error) {
      local.claims.release(key);
      throw error;
    }
  }

  /** Invalidations are not degraded: a failure throws (the store still holds the entry). */
  async deleteProfile(userId: string, signal?: AbortSignal): Promise<void> {
    const local = this.#local?.store.deleteProfile(userId);
    await Promise.all([local, this.#call('deleteProfile', () => this.#store.deleteProfile(userId), signal)]);
  }

  async deleteHistory(key: string, signal?: AbortSignal): Promise<void> {
    const local = this.#local?.store.deleteHistory(key);
    await Promise.all([local, this.#call('deleteHistory', () => this.#store.deleteHistory(key), signal)]);
  }

  async deleteGuild(guildId: string, signal?: AbortSignal): Promise<GuildDeletion> {
    const local = this.#local?.store.deleteGuild(guildId);
    const [, deleted] = await Promise.all([
      local,
      this.#call('deleteGuild', () => this.#store.deleteGuild(guildId), signal),
    ]);
    return deleted;
  }

  /** Another process invalidated entries: the local copy drops them too. */
  async dropLocal(invalidation: StoreInvalidation): Promise<void> {
    const local = this.#local?.store;
    if (!local) return;
    for (const userId of invalidation.userIds) await local.deleteProfile(userId);
    if (invalidation.scope === 'guild') await local.deleteGuild(invalidation.id);
  }

  async cleanup(): Promise<number> {
    const local = (await this.#local?.store.cleanup()) ?? 0;
    return local + (await this.#call('cleanup', () => this.#store.cleanup()));
  }

  /** Closes the local copy (the cache closes the user's store). */
  async close(): Promise<void> {
    this.#local?.claims.clear();
    await this.#local?.store.close();
  }

  /** The store's answer; on a store failure, `fallback`'s (reported). Abort and close still throw. */
  async #degrading<T>(
    operation: string,
    call: () => Promise<T>,
    fallback: (local: MemorySessionStore<P, M> | undefined) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      return await this.#call(operation, call, signal);
    } catch (error) {
      if (isCallEnded(error)) throw error;
      this.#report.storeError(operation, toStoreError(operation, error));
      this.#report.fallback(operation);
      return fallback(this.#local?.store);
    }
  }

  #call<T>(operation: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#local) return this.#local.guard.run(operation, call, signal);
    return call().catch((error: unknown) => {
      throw isChatlaneError(error) ? error : new SessionStoreError(operation, error);
    });
  }
}

function toStoreError(operation: string, error: unknown): SessionStoreError {
  return error instanceof SessionStoreError ? error : new SessionStoreError(operation, error);
}

/** Builds the local copy put in front of a store given by the user. */
export function createLocalCopy<P, M extends HistoryMessage>(
  options: {
    readonly fallbackMaxEntries: number;
    readonly dedupMaxEntries: number;
    readonly storeTimeoutMs: number;
    readonly clock: Clock;
  },
  closed: AbortSignal,
): LocalCopy<P, M> {
  const { fallbackMaxEntries, dedupMaxEntries, storeTimeoutMs, clock } = options;
  return {
    store: new MemorySessionStore<P, M>({
      maxProfiles: fallbackMaxEntries,
      maxConversations: fallbackMaxEntries,
      maxClaims: 1, // claims are held in `claims` below, which can release one
      clock,
    }),
    claims: new ClaimTable(dedupMaxEntries, () => clock.now()),
    guard: new StoreGuard(storeTimeoutMs, closed),
  };
}
