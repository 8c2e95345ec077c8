import { ClosedError } from '../errors.ts';
import { EventHub } from '../internal/events.ts';
import {
  type AppendOptions,
  type CallOptions,
  type ConversationHistoryOptions,
  type GetHistoryOptions,
  type GetProfileOptions,
  requireId,
  resolveBudget,
  throwIfAborted,
} from './call-options.ts';
import { type ConversationRef, type ConversationTarget, resolveTarget } from './conversation.ts';
import { ProfileLoaderMissingError, SessionStoreError } from './errors.ts';
import {
  newCounters,
  SESSION_LOG_TABLE,
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
import { ProfileSource } from './profile-source.ts';
import { createLocalCopy, ResilientStore } from './resilient-store.ts';
import type { CorruptEntry, GuildDeletion, SessionStore, StoreInvalidation } from './store.ts';
import type { HistoryMessage } from './types.ts';

/**
 * Per-user profiles and per-conversation chat history for the context phase of a chat
 * pipeline: profiles cached with a TTL and loaded single-flight, histories trimmed newest-first to
 * a token budget, guild-wide invalidation, message deduplication, background cleanup. Storage is a
 * {@link SessionStore} (in-process by default, Redis to share across processes); a given store is
 * bounded by `storeTimeoutMs` and, when it fails, the cache degrades to a local copy.
 */
export class SessionCache<P, M extends HistoryMessage = HistoryMessage> {
  readonly #options: ResolvedSessionCacheOptions<P, M>;
  readonly #store: SessionStore<P, M>;
  readonly #resilient: ResilientStore<P, M>;
  /** Absent without `loadProfile` (a history-only cache). */
  readonly #profiles: ProfileSource<P, M> | undefined;
  readonly #events: EventHub<SessionCacheEvents>;
  readonly #closeController = new AbortController();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #unsubscribeStore: (() => void)[];
  readonly #cleanupTimer: NodeJS.Timeout;
  readonly #counters: SessionCounters = newCounters();
  #closing: Promise<void> | undefined;

  constructor(options: SessionCacheOptions<P, M> = {}) {
    this.#options = resolveSessionOptions(options);
    this.#events = new EventHub({ logger: this.#options.logger, table: SESSION_LOG_TABLE });
    const { maxProfiles, maxConversations, clock, dedupMaxEntries: maxClaims } = this.#options;
    this.#store =
      this.#options.store ??
      new MemorySessionStore<P, M>({ maxProfiles, maxConversations, maxClaims, clock });
    const local = this.#options.store && createLocalCopy<P, M>(this.#options, this.#closeController.signal);
    this.#resilient = new ResilientStore(this.#store, local, {
      storeError: (operation, error) => this.#absorb(operation, error),
      fallback: () => {
        this.#counters.storeFallbacks += 1;
      },
    });
    const { loadProfile } = this.#options;
    this.#profiles =
      loadProfile &&
      new ProfileSource({
        ...this.#options,
        loadProfile,
        validateReads: local !== undefined,
        store: this.#resilient,
        counters: this.#counters,
        events: this.#events,
        closed: this.#closeController.signal,
        track: (promise) => this.#track(promise),
      });
    this.#unsubscribeStore = [
      this.#store.onInvalidation((invalidation) => this.#onRemoteInvalidation(invalidation)),
      this.#store.onCorruptEntry?.((entry) => this.#onCorruptEntry(entry)) ?? (() => {}),
    ];
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
   * {@link ProfileLoadError}. Aborting `signal` ends only this caller's wait. A stored profile
   * failing validation (`profileSchema`) is a miss and a `corruptEntry` event. Without
   * `loadProfile` it throws {@link ProfileLoaderMissingError}.
   */
  async getProfile(userId: string, options: GetProfileOptions = {}): Promise<P> {
    this.#assertOpen();
    if (this.#profiles === undefined) throw new ProfileLoaderMissingError();
    requireId('userId', userId);
    const { signal, guildId } = options;
    if (guildId !== undefined) requireId('guildId', guildId);
    throwIfAborted(signal);
    return this.#profiles.get(userId, guildId, signal);
  }

  /**
   * Appends a message (OpenAI chat shape) to a conversation, stored trimmed to the limits. A
   * {@link ConversationRef} gives the key and the guild tag; a string key is the caller's own
   * scheme, tagged with `options.guildId`. When a given store fails, the message is kept in the
   * local copy only (`storeError`), not replayed.
   */
  append(conversation: ConversationRef, message: M, options?: CallOptions): Promise<void>;
  append(conversationKey: string, message: M, options?: AppendOptions): Promise<void>;
  async append(conversation: ConversationTarget, message: M, options: AppendOptions = {}): Promise<void> {
    this.#assertOpen();
    const { key, guildId } = resolveTarget(conversation, options.guildId);
    throwIfAborted(options.signal);
    const { countTokens, messageOverheadTokens, historyTtlMs, maxMessagesPerConversation, maxHistoryTokens } =
      this.#options;
    const { message: copy, tokens } = prepareMessage(message, countTokens, messageOverheadTokens);
    const limits = {
      ttlMs: historyTtlMs,
      maxMessages: maxMessagesPerConversation,
      maxTokens: maxHistoryTokens,
      guildId,
    };
    await this.#resilient.appendHistory(key, copy, tokens, limits, options.signal);
    this.#counters.appends += 1;
  }

  /**
   * The conversation, oldest → newest, trimmed newest-first to the token budget of its kind (a
   * {@link ConversationRef}'s, or `options.kind` with a string key) or `budgetTokens`: the newest
   * messages that fit, stopping at the first that does not. When a given store fails, the
   * messages this process appended (local copy) are returned instead.
   */
  getHistory(conversation: ConversationRef, options?: ConversationHistoryOptions): Promise<M[]>;
  getHistory(conversationKey: string, options: GetHistoryOptions): Promise<M[]>;
  async getHistory(
    conversation: ConversationTarget,
    options: ConversationHistoryOptions & { kind?: GetHistoryOptions['kind'] } = {},
  ): Promise<M[]> {
    this.#assertOpen();
    const { key, kind } = resolveTarget(conversation, undefined);
    const budget = resolveBudget(
      { ...options, kind: kind ?? options.kind } as GetHistoryOptions,
      this.#options.historyBudgets,
    );
    throwIfAborted(options.signal);
    const messages = await this.#resilient.getHistory(key, budget, options.signal);
    this.#counters.historyReads += 1;
    return messages;
  }

  /**
   * True if this process should answer the message: the first claim of `messageId` within
   * `dedupTtlMs`, in every process sharing the store. A replay (gateway resume, reconnect, a second
   * listener) gets false. With a given store the id is also claimed in process first, so when the
   * store is down a replay to this process is still caught (the store failure is a `storeError`).
   */
  async claimMessage(messageId: string, options: CallOptions = {}): Promise<boolean> {
    this.#assertOpen();
    requireId('messageId', messageId);
    throwIfAborted(options.signal);
    const first = await this.#resilient.claim(messageId, this.#options.dedupTtlMs, options.signal);
    if (!first) this.#counters.duplicateMessages += 1;
    return first;
  }

  /** Drops one conversation's history (a {@link ConversationRef} or a string key). */
  async clearHistory(conversation: ConversationTarget, options: CallOptions = {}): Promise<void> {
    this.#assertOpen();
    const { key } = resolveTarget(conversation, undefined);
    throwIfAborted(options.signal);
    await this.#resilient.deleteHistory(key, options.signal);
  }

  /** Drops a user's profile (everywhere, with a shared store); a load in flight is not cached. */
  async invalidateUser(userId: string, options: CallOptions = {}): Promise<void> {
    this.#assertOpen();
    requireId('userId', userId);
    throwIfAborted(options.signal);
    this.#profiles?.markStale((id) => id === userId);
    await this.#resilient.deleteProfile(userId, options.signal);
    this.#counters.invalidations += 1;
    this.#events.emit('invalidated', { scope: 'user', id: userId, origin: 'local' });
  }

  /**
   * Drops every entry tied to a guild: profiles fetched with `getProfile(id, { guildId })` and
   * conversations appended with `append(key, msg, { guildId })`. Loads in flight for that guild
   * are not cached. Returns what was dropped.
   */
  async invalidateServer(guildId: string, options: CallOptions = {}): Promise<GuildDeletion> {
    this.#assertOpen();
    requireId('guildId', guildId);
    throwIfAborted(options.signal);
    this.#profiles?.markStale((_id, flight) => flight.guildIds.has(guildId));
    const deleted = await this.#resilient.deleteGuild(guildId, options.signal);
    const users = new Set(deleted.userIds);
    this.#profiles?.markStale((id) => users.has(id));
    this.#counters.invalidations += 1;
    this.#events.emit('invalidated', { scope: 'guild', id: guildId, origin: 'local' });
    return deleted;
  }

  /** Counters and sizes, with the profile hit rate. */
  getStats(): SessionCacheStats {
    const store = this.#store.getStats();
    const c = this.#counters;
    const lookups = c.hits + c.misses;
    return {
      ...c,
      hitRate: lookups === 0 ? 0 : c.hits / lookups,
      inflight: this.#profiles?.inflight ?? 0,
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

  /** `await using cache = new SessionCache(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    clearInterval(this.#cleanupTimer);
    for (const unsubscribe of this.#unsubscribeStore) unsubscribe();
    const closed = new ClosedError('SessionCache');
    this.#closeController.abort(closed);
    this.#profiles?.abortAll(closed);
    await Promise.allSettled([...this.#pending]);
    await this.#store.close();
    await this.#resilient.close();
    this.#events.clear();
  }

  async #cleanup(): Promise<void> {
    try {
      const removed = await this.#resilient.cleanup();
      this.#events.emit('cleanup', { removed });
    } catch (error) {
      this.#absorb('cleanup', error);
    }
  }

  #onRemoteInvalidation(invalidation: StoreInvalidation): void {
    const users = new Set(invalidation.userIds);
    const guildId = invalidation.scope === 'guild' ? invalidation.id : undefined;
    this.#profiles?.markStale(
      (id, flight) => users.has(id) || (guildId !== undefined && flight.guildIds.has(guildId)),
    );
    this.#track(this.#resilient.dropLocal(invalidation));
    this.#counters.remoteInvalidations += 1;
    this.#events.emit('invalidated', { scope: invalidation.scope, id: invalidation.id, origin: 'remote' });
  }

  #onCorruptEntry(entry: CorruptEntry): void {
    this.#counters.corruptEntries += 1;
    this.#events.emit('corruptEntry', entry);
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
