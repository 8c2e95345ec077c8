import { AbortError, ClosedError, isChatlaneError } from '../errors.ts';
import { EventHub } from '../internal/events.ts';
import {
  type AppendOptions,
  type GetHistoryOptions,
  type GetProfileOptions,
  requireId,
  resolveBudget,
  throwIfAborted,
} from './call-options.ts';
import { ProfileLoadError, SessionStoreError } from './errors.ts';
import {
  newCounters,
  type SessionCacheEvents,
  type SessionCacheStats,
  type SessionCounters,
} from './events.ts';
import { prepareMessage } from './history.ts';
import { MemorySessionStore } from './memory-store.ts';
import {
  type ResolvedSessionCacheOptions,
  resolveSessionOptions,
  type SessionCacheOptions,
} from './options.ts';
import { type Flight, SingleFlight, type WaitCancel, waitUnlessCancelled } from './single-flight.ts';
import type { GuildDeletion, SessionStore, StoreInvalidation } from './store.ts';
import type { HistoryMessage } from './types.ts';

/**
 * Per-user profiles and per-conversation chat history for the context phase of a chat
 * pipeline: profiles cached with a TTL and loaded single-flight, histories trimmed newest-first to
 * a token budget, guild-wide invalidation, background cleanup. Storage is a {@link SessionStore}
 * (in-process by default, Redis to share across processes).
 */
export class SessionCache<P, M extends HistoryMessage = HistoryMessage> {
  readonly #options: ResolvedSessionCacheOptions<P, M>;
  readonly #store: SessionStore<P, M>;
  readonly #flights = new SingleFlight<P>();
  readonly #events = new EventHub<SessionCacheEvents>();
  readonly #closeController = new AbortController();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #unsubscribeStore: () => void;
  readonly #cleanupTimer: NodeJS.Timeout;
  readonly #counters: SessionCounters = newCounters();
  #closing: Promise<void> | undefined;

  constructor(options: SessionCacheOptions<P, M>) {
    this.#options = resolveSessionOptions(options);
    const { maxProfiles, maxConversations, clock } = this.#options;
    this.#store =
      this.#options.store ?? new MemorySessionStore<P, M>({ maxProfiles, maxConversations, clock });
    this.#unsubscribeStore = this.#store.onInvalidation((invalidation) =>
      this.#onRemoteInvalidation(invalidation),
    );
    this.#cleanupTimer = setInterval(() => this.#track(this.#cleanup()), this.#options.cleanupIntervalMs);
    this.#cleanupTimer.unref();
  }

  /** The store in use (the default `MemorySessionStore` unless one was given). */
  get store(): SessionStore<P, M> {
    return this.#store;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof SessionCacheEvents>(
    event: K,
    listener: (payload: SessionCacheEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * The user's profile: from the store, else from `loadProfile`. Concurrent misses for one user
   * share one load; a failed load is not cached and rejects every waiter with the same
   * {@link ProfileLoadError}. Aborting `signal` ends only this caller's wait.
   */
  async getProfile(userId: string, options: GetProfileOptions = {}): Promise<P> {
    this.#assertOpen();
    requireId('userId', userId);
    const { signal, guildId } = options;
    if (guildId !== undefined) requireId('guildId', guildId);
    throwIfAborted(signal);
    let flight = this.#flights.get(userId);
    if (!flight) {
      const cached = await this.#readProfile(userId, guildId);
      if (cached !== undefined) {
        this.#counters.hits += 1;
        return cached;
      }
      this.#assertOpen();
      const started = this.#flights.join(userId, (loadSignal, own) => this.#load(userId, loadSignal, own));
      flight = started.flight;
      if (started.joined) this.#counters.coalesced += 1;
    } else {
      this.#counters.coalesced += 1;
    }
    this.#counters.misses += 1;
    if (guildId !== undefined) flight.guildIds.add(guildId);
    return waitUnlessCancelled(flight.promise, this.#cancels(signal));
  }

  /** Appends a message (OpenAI chat shape) to a conversation, stored trimmed to the limits. */
  async append(conversationKey: string, message: M, options: AppendOptions = {}): Promise<void> {
    this.#assertOpen();
    requireId('conversationKey', conversationKey);
    if (options.guildId !== undefined) requireId('guildId', options.guildId);
    throwIfAborted(options.signal);
    const { countTokens, messageOverheadTokens, historyTtlMs, maxMessagesPerConversation, maxHistoryTokens } =
      this.#options;
    const { message: copy, tokens } = prepareMessage(message, countTokens, messageOverheadTokens);
    await this.#storeCall('appendHistory', () =>
      this.#store.appendHistory(conversationKey, copy, tokens, {
        ttlMs: historyTtlMs,
        maxMessages: maxMessagesPerConversation,
        maxTokens: maxHistoryTokens,
        guildId: options.guildId,
      }),
    );
    this.#counters.appends += 1;
  }

  /**
   * The conversation, oldest → newest, trimmed newest-first to the token budget of `kind`
   * (or `budgetTokens`): the newest messages that fit, stopping at the first that does not.
   */
  async getHistory(conversationKey: string, options: GetHistoryOptions): Promise<M[]> {
    this.#assertOpen();
    requireId('conversationKey', conversationKey);
    const budget = resolveBudget(options, this.#options.historyBudgets);
    throwIfAborted(options.signal);
    const messages = await this.#storeCall('getHistory', () =>
      this.#store.getHistory(conversationKey, budget),
    );
    this.#counters.historyReads += 1;
    return messages;
  }

  /** Drops one conversation's history. */
  async clearHistory(conversationKey: string): Promise<void> {
    this.#assertOpen();
    requireId('conversationKey', conversationKey);
    await this.#storeCall('deleteHistory', () => this.#store.deleteHistory(conversationKey));
  }

  /** Drops a user's profile (everywhere, with a shared store); a load in flight is not cached. */
  async invalidateUser(userId: string): Promise<void> {
    this.#assertOpen();
    requireId('userId', userId);
    this.#markStale((id) => id === userId);
    await this.#storeCall('deleteProfile', () => this.#store.deleteProfile(userId));
    this.#counters.invalidations += 1;
    this.#events.emit('invalidated', { scope: 'user', id: userId, origin: 'local' });
  }

  /**
   * Drops every entry tied to a guild: profiles fetched with `getProfile(id, { guildId })` and
   * conversations appended with `append(key, msg, { guildId })`. Loads in flight for that guild
   * are not cached. Returns what was dropped.
   */
  async invalidateServer(guildId: string): Promise<GuildDeletion> {
    this.#assertOpen();
    requireId('guildId', guildId);
    this.#markStale((_id, flight) => flight.guildIds.has(guildId));
    const deleted = await this.#storeCall('deleteGuild', () => this.#store.deleteGuild(guildId));
    const users = new Set(deleted.userIds);
    this.#markStale((id) => users.has(id));
    this.#counters.invalidations += 1;
    this.#events.emit('invalidated', { scope: 'guild', id: guildId, origin: 'local' });
    return deleted;
  }

  /** Counters and sizes, with the profile hit rate. */
  getCacheStats(): SessionCacheStats {
    const store = this.#store.getStats();
    const c = this.#counters;
    const lookups = c.hits + c.misses;
    return {
      ...c,
      hitRate: lookups === 0 ? 0 : c.hits / lookups,
      inflight: this.#flights.size,
      evictions: store.evictions,
      expirations: store.expirations,
      profiles: store.profiles,
      conversations: store.conversations,
    };
  }

  /** Stops the cleanup timer, rejects waiters with `ClosedError`, aborts loads, closes the store. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    clearInterval(this.#cleanupTimer);
    this.#unsubscribeStore();
    const closed = new ClosedError('SessionCache');
    this.#closeController.abort(closed);
    this.#flights.abortAll(closed);
    await Promise.allSettled([...this.#pending]);
    await this.#store.close();
    this.#events.clear();
  }

  async #load(userId: string, signal: AbortSignal, flight: Flight<P>): Promise<P> {
    this.#counters.loads += 1;
    const started = performance.now();
    let profile: P;
    try {
      profile = await this.#options.loadProfile(userId, { signal });
      if (profile === undefined) throw new TypeError('loadProfile returned undefined');
    } catch (cause) {
      if (this.#closing) throw new ClosedError('SessionCache');
      const error = new ProfileLoadError(userId, cause);
      this.#counters.loadErrors += 1;
      this.#events.emit('profileLoadFailed', { userId, error });
      throw error;
    }
    // From here on a new caller reads the store (tagging its guild) instead of joining this load,
    // whose guild ids are written now.
    this.#flights.forget(userId, flight);
    if (!flight.stale && !this.#closing) {
      const write = this.#store.setProfile(userId, profile, {
        ttlMs: this.#options.profileTtlMs,
        guildIds: [...flight.guildIds],
      });
      this.#track(write.catch((error: unknown) => this.#absorb('setProfile', error)));
    }
    this.#events.emit('profileLoaded', { userId, durationMs: performance.now() - started });
    return profile;
  }

  async #readProfile(userId: string, guildId: string | undefined): Promise<P | undefined> {
    try {
      return await this.#store.getProfile(userId, guildId);
    } catch (error) {
      this.#absorb('getProfile', error);
      return undefined;
    }
  }

  async #cleanup(): Promise<void> {
    try {
      const removed = await this.#store.cleanup();
      this.#events.emit('cleanup', { removed });
    } catch (error) {
      this.#absorb('cleanup', error);
    }
  }

  #onRemoteInvalidation(invalidation: StoreInvalidation): void {
    const users = new Set(invalidation.userIds);
    const guildId = invalidation.scope === 'guild' ? invalidation.id : undefined;
    this.#markStale((id, flight) => users.has(id) || (guildId !== undefined && flight.guildIds.has(guildId)));
    this.#counters.remoteInvalidations += 1;
    this.#events.emit('invalidated', { scope: invalidation.scope, id: invalidation.id, origin: 'remote' });
  }

  #markStale(match: (userId: string, flight: Flight<P>) => boolean): void {
    const stale = [...this.#flights.entries()].filter(([userId, flight]) => match(userId, flight));
    for (const [userId, flight] of stale) {
      flight.stale = true;
      this.#flights.forget(userId, flight);
    }
  }

  #cancels(signal: AbortSignal | undefined): WaitCancel[] {
    const closed: WaitCancel = {
      signal: this.#closeController.signal,
      error: () => new ClosedError('SessionCache'),
    };
    if (!signal) return [closed];
    return [closed, { signal, error: () => new AbortError(undefined, { cause: signal.reason }) }];
  }

  async #storeCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw isChatlaneError(error) ? error : new SessionStoreError(operation, error);
    }
  }

  #absorb(operation: string, cause: unknown): void {
    const error = cause instanceof SessionStoreError ? cause : new SessionStoreError(operation, cause);
    this.#counters.storeErrors += 1;
    this.#events.emit('storeError', { operation, error });
  }

  #track(promise: Promise<unknown>): void {
    this.#pending.add(promise);
    const remove = () => this.#pending.delete(promise);
    promise.then(remove, remove);
  }

  #assertOpen(): void {
    if (this.#closing) throw new ClosedError('SessionCache');
  }
}
