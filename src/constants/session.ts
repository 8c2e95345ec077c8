/** Defaults of SessionCache and its stores (re-exported by `src/constants.ts`). */

/** Profile cache TTL in milliseconds (2 minutes). */
export const SESSION_PROFILE_TTL_MS = 120_000;
/** Profiles kept at most (LRU eviction past this). */
export const SESSION_MAX_PROFILES = 10_000;
/** Conversations kept at most (LRU eviction past this). */
export const SESSION_MAX_CONVERSATIONS = 10_000;
/** A conversation idle this long is dropped by the background cleanup. */
export const SESSION_HISTORY_TTL_MS = 60 * 60_000;
/** Messages kept per conversation at most, before token trimming. */
export const SESSION_MAX_MESSAGES_PER_CONVERSATION = 100;
/** Background cleanup interval (timer `unref`'d). */
export const SESSION_CLEANUP_INTERVAL_MS = 60_000;
/** History token budget in DMs. */
export const HISTORY_MAX_TOKENS_DM = 800;
/** History token budget in guild channels. */
export const HISTORY_MAX_TOKENS_GUILD = 1_200;
/** Default token estimator: fixed overhead per chat message (role, separators). */
export const TOKEN_ESTIMATE_MESSAGE_OVERHEAD = 4;
/** Redis store: key prefix. */
export const REDIS_KEY_PREFIX = 'chatlane:';
/** Default token estimator: letters of one word counted as one token (longer words count more). */
export const TOKEN_ESTIMATE_WORD_LETTERS_PER_TOKEN = 8;
/** Default token estimator: digits per token in a run of digits (BPE splits numbers in groups of 3). */
export const TOKEN_ESTIMATE_DIGITS_PER_TOKEN = 3;
/** Default token estimator: ASCII punctuation/symbol characters per token in a run of them. */
export const TOKEN_ESTIMATE_SYMBOLS_PER_TOKEN = 3;
/** Default token estimator: tokens per run of line breaks/tabs/indentation. */
export const TOKEN_ESTIMATE_LINE_BREAK_TOKENS = 0.5;
/** Default token estimator: tokens per CJK character (Han, kana, Hangul, full-width forms). */
export const TOKEN_ESTIMATE_CJK_TOKENS_PER_CHAR = 0.65;
/** Default token estimator: tokens per astral code point (emoji, rare symbols). */
export const TOKEN_ESTIMATE_ASTRAL_TOKENS = 1.5;
/** Default token estimator: tokens per other non-ASCII character (BMP symbols such as ☀ or ❤). */
export const TOKEN_ESTIMATE_OTHER_TOKENS_PER_CHAR = 1.5;
/** Default token estimator: tokens per zero-width joiner or variation selector (emoji sequences). */
export const TOKEN_ESTIMATE_JOINER_TOKENS = 0.75;
/** Redis store: profiles are also kept in process this long (pub/sub invalidation clears them early). */
export const REDIS_LOCAL_PROFILE_TTL_MS = 30_000;
/** Redis store: pub/sub channel name (after the key prefix) carrying cross-instance invalidations. */
export const REDIS_INVALIDATION_CHANNEL = 'invalidate';

// Store timeouts, degraded mode, message deduplication

/** Each session store call is abandoned after this long (the cache then degrades to its local copy). */
export const SESSION_STORE_TIMEOUT_MS = 300;
/** Local fallback copy (custom store only): profiles and conversations kept in process at most, each. */
export const SESSION_FALLBACK_MAX_ENTRIES = 1_000;
/** `claimMessage`: a message id stays claimed this long (gateway replays come within minutes). */
export const SESSION_DEDUP_TTL_MS = 15 * 60_000;
/** `claimMessage`: message ids remembered in process at most (quick-lru `maxSize`). */
export const SESSION_DEDUP_MAX_ENTRIES = 10_000;
/** Redis store: key segment (after the key prefix) of `claim()` keys. */
export const REDIS_CLAIM_SEGMENT = 'claim:';

/** Reply journal: how long an accepted message stays leased to its process without a renewal. */
export const JOURNAL_LEASE_MS = 10_000;
/** Reply journal: how often a process renews its leases and looks for expired ones. */
export const JOURNAL_POLL_INTERVAL_MS = 2_000;
/** Reply journal: a message accepted longer ago than this gets an apology, not a late answer. */
export const JOURNAL_MAX_AGE_MS = 120_000;
/** Reply journal: tries (the first and the recoveries) before an entry is given up. */
export const JOURNAL_MAX_ATTEMPTS = 3;
/** Reply journal: how long a completed message id is remembered, so a replay is not answered again. */
export const JOURNAL_DONE_TTL_MS = 10 * 60_000;
/** Reply journal: entries taken over per poll at most. */
export const JOURNAL_TAKE_LIMIT = 20;
