/**
 * Counts, rates, deadlines and secrets of the reliability suite. `CHATLANE_SOAK=long` runs the full
 * issue #10 load (20 pipelines × 100 messages per scenario); anything else the short CI setting.
 */

/** True for the long (local) setting. */
export const LONG = process.env.CHATLANE_SOAK === 'long';
/** Name of the setting, printed with the table. */
export const SETTING = LONG ? 'long' : 'short';

/** Concurrent pipelines (workers), each sending its messages one after another. */
export const PIPELINES = LONG ? 20 : 10;
/** Messages per pipeline in the load scenarios. */
export const MESSAGES_PER_PIPELINE = LONG ? 100 : 10;
/** Messages per pipeline in the transient-fault scenarios (the ≥ 99.9 % goal needs a real sample). */
export const FAULT_MESSAGES_PER_PIPELINE = LONG ? 100 : 20;
/** Guild channels the guild pipelines share (the other half write DMs). */
export const GUILD_CHANNELS = 4;

/** Fraction of OpenRouter requests that get a transient fault. */
export const TRANSIENT_FAULT_RATIO = 0.3;
/** Seed of the fault plan (a run is reproducible). */
export const FAULT_SEED = 20_261_202;
/** `Retry-After` (seconds) of an injected OpenRouter 429. */
export const OPENROUTER_RETRY_AFTER_S = 1;
/** Required share of whole answers under transient faults. */
export const MIN_WHOLE_ANSWER_RATIO = 0.999;

/**
 * OpenRouter timeouts in the suite: a stalled model costs this, not the 8–15 s defaults, so the
 * short setting stays short. Retries, breakers and the fallback ladder keep library defaults.
 */
export const LLM_TIMEOUTS = {
  readTimeoutMs: 500,
  streamFirstTokenTimeoutMs: 500,
  streamIdleTimeoutMs: 500,
  totalTimeoutMs: 10_000,
};

/** The suite gives up on one message after this long (aborts it; it then counts by what Discord shows). */
export const MESSAGE_DEADLINE_MS = 20_000;
/** Wait after the last message before reading Discord (late replies of abandoned messages land). */
export const SETTLE_MS = 200;
/** Per-scenario vitest timeout. */
export const SCENARIO_TIMEOUT_MS = LONG ? 600_000 : 120_000;

/** Discord 429 storm: scripted 429s per route (POST and PATCH of messages) and global ones. */
export const DISCORD_ROUTE_429S = LONG ? 200 : 40;
export const DISCORD_GLOBAL_429S = LONG ? 40 : 8;
/** `retry_after` of a scripted Discord 429, ms. */
export const DISCORD_RETRY_AFTER_MS = 50;
/** Discord 5xx: failed creates (applied before the error) and failed edits. */
export const DISCORD_5XX = LONG ? 100 : 20;

/** Redis outage: the private server is killed after this share of the messages, for this long. */
export const REDIS_OUTAGE_AT = 1 / 3;
export const REDIS_OUTAGE_MS = LONG ? 5_000 : 3_000;

/** Size of the "100 KB" bad input. */
export const HUGE_INPUT_CHARS = 100 * 1024;

/** Secrets configured in every scenario; none may appear in any output. */
export const DISCORD_TOKEN = 'MTA5soak.Gx7dQz.soak-discord-token-do-not-leak-0123456789';
export const OPENROUTER_API_KEY = 'sk-or-v1-soak0123456789abcdef0123456789abcdef0123456789abcdef';

/** Where the long run writes its table (quoted by docs/reliability.md). */
export const RESULTS_FILE: string | undefined = LONG
  ? 'test/reliability/results/latest.md'
  : process.env.CHATLANE_SOAK_RESULTS;
