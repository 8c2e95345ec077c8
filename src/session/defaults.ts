import {
  HISTORY_MAX_TOKENS_DM,
  HISTORY_MAX_TOKENS_GUILD,
  REDIS_KEY_PREFIX,
  REDIS_LOCAL_PROFILE_TTL_MS,
  SESSION_CLEANUP_INTERVAL_MS,
  SESSION_DEDUP_MAX_ENTRIES,
  SESSION_DEDUP_TTL_MS,
  SESSION_FALLBACK_MAX_ENTRIES,
  SESSION_HISTORY_TTL_MS,
  SESSION_MAX_CONVERSATIONS,
  SESSION_MAX_MESSAGES_PER_CONVERSATION,
  SESSION_MAX_PROFILES,
  SESSION_PROFILE_TTL_MS,
  SESSION_STORE_TIMEOUT_MS,
  TOKEN_ESTIMATE_MESSAGE_OVERHEAD,
} from '../constants.ts';
import type { MemorySessionStoreOptions } from './memory-store.ts';
import type { SessionCacheOptions } from './options.ts';
import type { RedisSessionStoreOptions } from './redis-store-options.ts';

/**
 * Every default of {@link SessionCacheOptions} that is a value (`estimateTokens`, the in-process
 * store and `Date.now` are the defaults of `countTokens`, `store` and `clock`;
 * `maxHistoryTokens` defaults to the larger of the two `historyBudgets`).
 */
export const DEFAULT_SESSION_CACHE_OPTIONS = Object.freeze({
  messageOverheadTokens: TOKEN_ESTIMATE_MESSAGE_OVERHEAD,
  profileTtlMs: SESSION_PROFILE_TTL_MS,
  historyTtlMs: SESSION_HISTORY_TTL_MS,
  maxProfiles: SESSION_MAX_PROFILES,
  maxConversations: SESSION_MAX_CONVERSATIONS,
  maxMessagesPerConversation: SESSION_MAX_MESSAGES_PER_CONVERSATION,
  historyBudgets: Object.freeze({ dm: HISTORY_MAX_TOKENS_DM, guild: HISTORY_MAX_TOKENS_GUILD }),
  cleanupIntervalMs: SESSION_CLEANUP_INTERVAL_MS,
  storeTimeoutMs: SESSION_STORE_TIMEOUT_MS,
  fallbackMaxEntries: SESSION_FALLBACK_MAX_ENTRIES,
  dedupTtlMs: SESSION_DEDUP_TTL_MS,
  dedupMaxEntries: SESSION_DEDUP_MAX_ENTRIES,
} as const);

/** Every default of {@link MemorySessionStoreOptions} that is a value. */
export const DEFAULT_MEMORY_SESSION_STORE_OPTIONS = Object.freeze({
  maxProfiles: SESSION_MAX_PROFILES,
  maxConversations: SESSION_MAX_CONVERSATIONS,
  maxClaims: SESSION_DEDUP_MAX_ENTRIES,
} as const);

/** Every default of {@link RedisSessionStoreOptions} that is a value. */
export const DEFAULT_REDIS_SESSION_STORE_OPTIONS = Object.freeze({
  keyPrefix: REDIS_KEY_PREFIX,
  localProfileTtlMs: REDIS_LOCAL_PROFILE_TTL_MS,
  maxLocalProfiles: SESSION_MAX_PROFILES,
} as const);
