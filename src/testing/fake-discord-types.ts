import type { FakeDiscordUser } from './fake-discord-state.ts';

/** Options of {@link FakeDiscord.start}. */
export interface FakeDiscordOptions {
  /** Delay before each REST answer, fixed or per request. @default 0 */
  latencyMs?: number | ((request: FakeDiscordRequest) => number);
  /** The bot's own user (READY, `GET /users/@me`, author of created messages). @default a generated bot user */
  botUser?: Partial<FakeDiscordUser>;
  /** When set, REST calls must carry `Authorization: Bot <token>` (else 401) and Identify this token. */
  token?: string;
  /** Guilds (with text channels) the bot is in; announced in READY and GUILD_CREATE. @default [] */
  guilds?: Array<{ id?: string; name?: string; channels?: Array<{ id?: string; name?: string }> }>;
  /** Users whose DMs are closed: creating a message in their DM channel answers 403/50007. @default [] */
  cannotDm?: string[];
  /** Requests per route bucket and window before a real 429. @default FAKE_DISCORD_BUCKET_LIMIT (50) */
  bucketLimit?: number;
  /** Bucket window length. @default FAKE_DISCORD_BUCKET_WINDOW_MS (1000) */
  bucketWindowMs?: number;
  /**
   * Discord's global limit: requests per second per bot token, all routes, connections and
   * processes together; past it a global 429, counted in `globalLimitViolations`. `false` turns it
   * off (for load tests that lift discord.js's own cap). @default 50 (FAKE_DISCORD_GLOBAL_LIMIT)
   */
  globalLimit?: number | false;
  /** `shards` answered by `GET /gateway/bot` (what `totalShards: 'auto'` uses). @default 1 */
  recommendedShards?: number;
  /** Heartbeat interval sent in Hello. @default FAKE_DISCORD_HEARTBEAT_INTERVAL_MS (41250) */
  heartbeatIntervalMs?: number;
  /**
   * Send CHANNEL_CREATE for a DM channel before its first injected message, so a client without
   * `partials: [Partials.Channel]` also sees DMs. Real Discord does not. @default false
   */
  announceDmChannels?: boolean;
  /** Echo messages the bot creates as MESSAGE_CREATE (real Discord does). @default false */
  echoBotMessages?: boolean;
}

/** One REST request the fake received, in arrival order. */
export interface FakeDiscordRequest {
  method: string;
  /** Path without the `/api/v10` prefix, e.g. `/channels/123/messages`. */
  path: string;
  /** Bucket route, e.g. `POST /channels/:id/messages`. */
  route: string;
  /** Parsed JSON body (`payload_json` of a multipart upload; `undefined` when there was none). */
  body: unknown;
  /** Files of a multipart upload (`files[n]` fields), in order; [] otherwise. */
  files: FakeDiscordFile[];
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** Status answered (0 until answered, and for good when the client hung up during the latency). */
  status: number;
  /** Arrival time in epoch ms with sub-millisecond precision (`performance.timeOrigin + performance.now()`). */
  at: number;
}

/** A file uploaded with a request (multipart/form-data), as the fake received it. */
export interface FakeDiscordFile {
  /** Form field, e.g. `files[0]`. */
  field: string;
  filename: string;
  /** Size in bytes. */
  size: number;
  /** MIME type sent for the part ('' when none). */
  contentType: string;
  /** The file's content, decoded as UTF-8. */
  content: string;
}
