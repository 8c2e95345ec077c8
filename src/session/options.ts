import { z } from 'zod';
import {
  HISTORY_MAX_TOKENS_DM,
  HISTORY_MAX_TOKENS_GUILD,
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
import { type Clock, clockOption, systemClock } from '../internal/clock.ts';
import { loggerOption, parseOptions } from '../internal/options.ts';
import type { LoggerLike } from '../logging/event.ts';
import type { SessionStore } from './store.ts';
import { estimateTokens } from './token-estimator.ts';
import type { HistoryMessage, TokenCounter } from './types.ts';

/** What `loadProfile` receives besides the user id. */
export interface ProfileLoadContext {
  /** Aborted only when the cache is closed (one caller giving up does not cancel a shared load). */
  readonly signal: AbortSignal;
}

/** Loads a user's profile from the source of truth (database, API). */
export type ProfileLoader<P> = (userId: string, context: ProfileLoadContext) => Promise<P>;

/** History token budgets per conversation kind. */
export interface HistoryBudgets {
  /** Direct messages. @default 800 (HISTORY_MAX_TOKENS_DM) */
  dm?: number;
  /** Guild channels. @default 1200 (HISTORY_MAX_TOKENS_GUILD) */
  guild?: number;
}

/** Options of {@link SessionCache}. */
export interface SessionCacheOptions<P, M extends HistoryMessage = HistoryMessage> {
  /**
   * Loads a profile on a miss. Must not return `undefined`. Without it the cache holds histories
   * only, and `getProfile` throws `ProfileLoaderMissingError`. @default none
   */
  loadProfile?: ProfileLoader<P>;
  /** Where profiles and histories live. @default a new MemorySessionStore (closed by `close()`) */
  store?: SessionStore<P, M>;
  /** Token counter for message content. @default estimateTokens */
  countTokens?: TokenCounter;
  /** Tokens added per message for role and separators. @default 4 (TOKEN_ESTIMATE_MESSAGE_OVERHEAD) */
  messageOverheadTokens?: number;
  /** Profile time to live. @default 120000 (SESSION_PROFILE_TTL_MS) */
  profileTtlMs?: number;
  /** A conversation expires this long after its last append. @default 3600000 (SESSION_HISTORY_TTL_MS) */
  historyTtlMs?: number;
  /** Profiles kept at most (default store only). @default 10000 (SESSION_MAX_PROFILES) */
  maxProfiles?: number;
  /** Conversations kept at most (default store only). @default 10000 (SESSION_MAX_CONVERSATIONS) */
  maxConversations?: number;
  /** Messages stored per conversation at most. @default 100 (SESSION_MAX_MESSAGES_PER_CONVERSATION) */
  maxMessagesPerConversation?: number;
  /** Tokens stored per conversation at most. @default the larger of the two history budgets */
  maxHistoryTokens?: number;
  /** History budgets used by `getHistory`. @default { dm: 800, guild: 1200 } */
  historyBudgets?: HistoryBudgets;
  /** Background cleanup interval (timer `unref`'d, stopped by `close()`). @default 60000 (SESSION_CLEANUP_INTERVAL_MS) */
  cleanupIntervalMs?: number;
  /** Clock for TTLs and dedup windows (`ManualClock` in tests). @default the real clock */
  clock?: Clock;
  /**
   * Validates every profile read from the store and every loader result (zod). A stored value
   * that fails is a miss (`corruptEntry` event; the load overwrites it); a loader result that
   * fails is a `ProfileLoadError`. Without it a profile must be a non-null, non-array object.
   */
  profileSchema?: z.ZodType<P>;
  /**
   * A given `store`'s calls are abandoned after this long; the cache then degrades (see
   * `storeError`). Not applied to the default in-process store. @default 300 (SESSION_STORE_TIMEOUT_MS)
   */
  storeTimeoutMs?: number;
  /**
   * With a given `store`: profiles and conversations this process loaded or appended are also
   * kept in process (each table bounded by this), answering when the store fails.
   * @default 1000 (SESSION_FALLBACK_MAX_ENTRIES)
   */
  fallbackMaxEntries?: number;
  /** `claimMessage`: how long a message id stays claimed. @default 900000 (SESSION_DEDUP_TTL_MS) */
  dedupTtlMs?: number;
  /** `claimMessage`: message ids remembered in process at most. @default 10000 (SESSION_DEDUP_MAX_ENTRIES) */
  dedupMaxEntries?: number;
  /**
   * Logger the cache writes its degradations to: `session_store_error` and `session_corrupt_entry`
   * (WARNING). @default none
   */
  logger?: LoggerLike;
}

const positiveInt = z.number().int().positive();
const isFunction = (v: unknown) => typeof v === 'function';

const schema = z.strictObject({
  loadProfile: z.custom<ProfileLoader<unknown>>(isFunction, 'Expected a function').optional(),
  store: z
    .custom<SessionStore<unknown, HistoryMessage>>(
      (v) => typeof v === 'object' && v !== null,
      'Expected a store',
    )
    .optional(),
  countTokens: z.custom<TokenCounter>(isFunction, 'Expected a function').default(() => estimateTokens),
  messageOverheadTokens: z.number().int().min(0).default(TOKEN_ESTIMATE_MESSAGE_OVERHEAD),
  profileTtlMs: positiveInt.default(SESSION_PROFILE_TTL_MS),
  historyTtlMs: positiveInt.default(SESSION_HISTORY_TTL_MS),
  maxProfiles: positiveInt.default(SESSION_MAX_PROFILES),
  maxConversations: positiveInt.default(SESSION_MAX_CONVERSATIONS),
  maxMessagesPerConversation: positiveInt.default(SESSION_MAX_MESSAGES_PER_CONVERSATION),
  maxHistoryTokens: positiveInt.optional(),
  historyBudgets: z
    .strictObject({
      dm: positiveInt.default(HISTORY_MAX_TOKENS_DM),
      guild: positiveInt.default(HISTORY_MAX_TOKENS_GUILD),
    })
    .default({ dm: HISTORY_MAX_TOKENS_DM, guild: HISTORY_MAX_TOKENS_GUILD }),
  cleanupIntervalMs: positiveInt.default(SESSION_CLEANUP_INTERVAL_MS),
  clock: clockOption(systemClock),
  profileSchema: z
    .custom<z.ZodType>(
      (v) => typeof (v as { safeParse?: unknown })?.safeParse === 'function',
      'Expected a zod schema',
    )
    .optional(),
  storeTimeoutMs: positiveInt.default(SESSION_STORE_TIMEOUT_MS),
  fallbackMaxEntries: positiveInt.default(SESSION_FALLBACK_MAX_ENTRIES),
  dedupTtlMs: positiveInt.default(SESSION_DEDUP_TTL_MS),
  dedupMaxEntries: positiveInt.default(SESSION_DEDUP_MAX_ENTRIES),
  logger: loggerOption,
});

/** Validated options with every default filled in. */
export interface ResolvedSessionCacheOptions<P, M extends HistoryMessage>
  extends Omit<z.output<typeof schema>, 'loadProfile' | 'store' | 'maxHistoryTokens' | 'profileSchema'> {
  readonly loadProfile: ProfileLoader<P> | undefined;
  readonly profileSchema: z.ZodType<P> | undefined;
  readonly store: SessionStore<P, M> | undefined;
  readonly maxHistoryTokens: number;
}

/** Validates the constructor options (throws `InvalidOptionsError` naming each bad value). */
export function resolveSessionOptions<P, M extends HistoryMessage>(
  input: SessionCacheOptions<P, M>,
): ResolvedSessionCacheOptions<P, M> {
  const parsed = parseOptions(schema, input, 'SessionCache options');
  const { dm, guild } = parsed.historyBudgets;
  return {
    ...parsed,
    loadProfile: input.loadProfile,
    store: input.store,
    profileSchema: input.profileSchema,
    maxHistoryTokens: parsed.maxHistoryTokens ?? Math.max(dm, guild),
  };
}
