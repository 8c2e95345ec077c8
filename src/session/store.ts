import type { HistoryMessage } from './types.ts';

/** How {@link SessionStore.setProfile} stores a profile. */
export interface ProfileWriteOptions {
  /** Time to live. */
  readonly ttlMs: number;
  /** Guilds this profile is tied to (`invalidateServer` of any of them drops it). */
  readonly guildIds: readonly string[];
}

/** How {@link SessionStore.appendHistory} stores a message and trims the stored conversation. */
export interface HistoryAppendOptions {
  /** The conversation expires this long after its last append. */
  readonly ttlMs: number;
  /** Oldest messages are dropped past this many. */
  readonly maxMessages: number;
  /** Oldest messages are dropped while the total exceeds this (the newest one is always kept). */
  readonly maxTokens: number;
  /** Guild the conversation is tied to (`invalidateServer` drops it). */
  readonly guildId?: string | undefined;
}

/** What {@link SessionStore.deleteGuild} removed. */
export interface GuildDeletion {
  /** Users whose profiles were tied to the guild. */
  readonly userIds: readonly string[];
  /** Conversations tied to the guild. */
  readonly conversationKeys: readonly string[];
}

/** An invalidation made by another process sharing the store (Redis pub/sub). */
export interface StoreInvalidation {
  /** A user's profile, or every entry of a guild. */
  readonly scope: 'user' | 'guild';
  /** The user id or guild id. */
  readonly id: string;
  /** Users whose profiles were dropped. */
  readonly userIds: readonly string[];
}

/** A stored value that failed validation on read and was dropped (the key repaired). */
export interface CorruptEntry {
  /** What held it: a profile, a conversation's history, or a guild index set. */
  readonly kind: 'profile' | 'history' | 'index';
  /** The user id, conversation key or guild id. */
  readonly id: string;
  /** What was wrong, e.g. `element 3: not "<tokens>:<json>"` (never the stored value itself). */
  readonly reason: string;
}

/** Counters a store reports; sizes are `undefined` when the store cannot tell cheaply. */
export interface SessionStoreStats {
  /** Profiles held (in process). */
  readonly profiles: number | undefined;
  /** Conversations held (in process). */
  readonly conversations: number | undefined;
  /** Entries dropped by LRU pressure. */
  readonly evictions: number;
  /** Entries dropped because their TTL passed. */
  readonly expirations: number;
}

/**
 * Where {@link SessionCache} keeps profiles and histories. The default is the in-process
 * {@link MemorySessionStore}; {@link RedisSessionStore} shares both across processes. A store
 * owns TTL enforcement and guild association; the cache owns loading, single-flight, token
 * counting and budget trimming.
 */
export interface SessionStore<P = unknown, M extends HistoryMessage = HistoryMessage> {
  /** The live profile, or `undefined`. With `guildId`, also ties the profile to that guild. */
  getProfile(userId: string, guildId?: string): Promise<P | undefined>;
  /** Stores a profile (replacing any). */
  setProfile(userId: string, profile: P, options: ProfileWriteOptions): Promise<void>;
  /** Drops a profile (and tells other processes, for shared stores). */
  deleteProfile(userId: string): Promise<void>;
  /**
   * Appends one message (a frozen copy) with its token count (counted once by the cache,
   * overhead included), then trims the conversation to the limits.
   */
  appendHistory(key: string, message: M, tokens: number, options: HistoryAppendOptions): Promise<void>;
  /**
   * The newest messages whose token counts add up to at most `budgetTokens`, oldest first,
   * stopping at the first message that does not fit; a new array (empty when unknown or expired).
   */
  getHistory(key: string, budgetTokens: number): Promise<M[]>;
  /** Drops a conversation. */
  deleteHistory(key: string): Promise<void>;
  /** Drops every profile and conversation tied to a guild (and tells other processes). */
  deleteGuild(guildId: string): Promise<GuildDeletion>;
  /**
   * True for the first claim of `key` within `ttlMs`, false while an earlier claim holds (in
   * every process sharing the store). Used to answer a message once.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Drops expired entries held in process; returns how many. */
  cleanup(): Promise<number>;
  /** Listens to invalidations made by other processes; returns an unsubscribe function. */
  onInvalidation(listener: (invalidation: StoreInvalidation) => void): () => void;
  /**
   * Optional: listens to corrupt stored values the store dropped or repaired on read (a store
   * holding only in-process objects has none). Returns an unsubscribe function.
   */
  onCorruptEntry?(listener: (entry: CorruptEntry) => void): () => void;
  /** Counters. */
  getStats(): SessionStoreStats;
  /** Releases what the store created (timers, connections); the cache calls it from `close()`. */
  close(): Promise<void>;
}
