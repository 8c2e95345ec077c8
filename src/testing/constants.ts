/** Defaults of the testing kit's fakes (internal names; `DEFAULT_FAKE_DISCORD_OPTIONS` is public). */
import { DISCORD_STREAM_EDIT_INTERVAL_MS } from '../constants.ts';

/** Fake Discord: heartbeat interval announced in the gateway Hello. */
export const FAKE_DISCORD_HEARTBEAT_INTERVAL_MS = 41_250;
/** Fake Discord: requests per route bucket and window before the fake answers 429. */
export const FAKE_DISCORD_BUCKET_LIMIT = 50;
/** Fake Discord: length of one rate-limit bucket window. */
export const FAKE_DISCORD_BUCKET_WINDOW_MS = 1_000;
/** Fake Discord: requests per second per bot token, all routes and connections together (Discord's global limit). */
export const FAKE_DISCORD_GLOBAL_LIMIT = 50;
/** Fake Discord: length of one global-limit window. */
export const FAKE_DISCORD_GLOBAL_WINDOW_MS = 1_000;
/** Fake Discord: how long a create nonce with `enforce_nonce` de-duplicates (Discord: "a few minutes"). */
export const FAKE_DISCORD_NONCE_WINDOW_MS = 5 * 60_000;
/** Fake Discord: dispatches a gateway session keeps for a Resume to replay. */
export const FAKE_DISCORD_RESUME_BUFFER = 100;
/** Fake Discord gateway close code asking the client to resume (4000, "unknown error": resumable). */
export const FAKE_DISCORD_CLOSE_RESUMABLE = 4_000;
/**
 * `FakeDiscord.waitForReply()`: the bot's reply counts as finished once no create, edit or delete
 * touched its channel's messages for this long: two default stream edit intervals, so a reply
 * still streaming at the default cadence is never taken for finished.
 */
export const FAKE_DISCORD_REPLY_SETTLED_MS = 2 * DISCORD_STREAM_EDIT_INTERVAL_MS;
/** `FakeDiscord.waitForReply()`: how long to wait for a finished reply before rejecting. */
export const FAKE_DISCORD_REPLY_TIMEOUT_MS = 30_000;

/** Every value default of `FakeDiscord.start()` options and of `waitForReply()`. */
export const DEFAULT_FAKE_DISCORD_OPTIONS = Object.freeze({
  bucketLimit: FAKE_DISCORD_BUCKET_LIMIT,
  bucketWindowMs: FAKE_DISCORD_BUCKET_WINDOW_MS,
  globalLimit: FAKE_DISCORD_GLOBAL_LIMIT,
  recommendedShards: 1,
  heartbeatIntervalMs: FAKE_DISCORD_HEARTBEAT_INTERVAL_MS,
  waitForReply: Object.freeze({
    settledMs: FAKE_DISCORD_REPLY_SETTLED_MS,
    timeoutMs: FAKE_DISCORD_REPLY_TIMEOUT_MS,
  }),
} as const);
