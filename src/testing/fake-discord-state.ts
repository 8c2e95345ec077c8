import { DISCORD_EPOCH_MS } from '../constants.ts';

const SNOWFLAKE_TIMESTAMP_SHIFT = 22n;
const SNOWFLAKE_INCREMENT_MASK = 0xfffn;

let increment = 0n;

/** A Discord snowflake id (18–19 digits) for "now": timestamp bits plus a process-wide counter. */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & SNOWFLAKE_INCREMENT_MASK;
  return ((BigInt(at - DISCORD_EPOCH_MS) << SNOWFLAKE_TIMESTAMP_SHIFT) | increment).toString();
}

/** A user as the fake Discord API returns it. */
export interface FakeDiscordUser {
  id: string;
  username: string;
  bot?: boolean;
  global_name?: string | null;
  discriminator?: string;
  avatar?: string | null;
}

/** A message as the fake stores it (the current state, after edits). */
export interface FakeDiscordMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: FakeDiscordUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  /** Number of PATCHes applied. */
  edits: number;
  nonce?: string | number;
  message_reference?: { message_id: string; channel_id?: string; fail_if_not_exists?: boolean };
  /** `allowed_mentions` of the last create/edit (`undefined` when the request omitted it). */
  allowed_mentions?: unknown;
  /** Whether @everyone/@here would have pinged, per Discord's rules for the last create/edit. */
  mention_everyone: boolean;
  /** User ids that would have been pinged. */
  mentions: string[];
  /** Role ids that would have been pinged. */
  mention_roles: string[];
  type: number;
  /** Files uploaded with the create (multipart), with their content. @default [] */
  attachments?: FakeDiscordAttachment[];
}

/** A file attached to a message, with the content the fake received. */
export interface FakeDiscordAttachment {
  id: string;
  filename: string;
  /** Size in bytes. */
  size: number;
  content_type: string;
  /** The file's content, decoded as UTF-8 (the fake's own field; Discord sends a `url`). */
  content: string;
}

interface MentionRules {
  parse?: unknown;
  users?: unknown;
  roles?: unknown;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Which mentions in `content` would ping, following Discord: without `allowed_mentions` every
 * mention in the content pings; with it, only the listed types or ids do.
 */
export function resolveMentions(
  content: string,
  allowed: unknown,
): Pick<FakeDiscordMessage, 'mention_everyone' | 'mentions' | 'mention_roles'> {
  const users = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? '');
  const roles = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? '');
  const everyone = /@(everyone|here)\b/.test(content);
  if (typeof allowed !== 'object' || allowed === null) {
    return { mention_everyone: everyone, mentions: users, mention_roles: roles };
  }
  const rules = allowed as MentionRules;
  const parse = asStrings(rules.parse);
  const allowedUsers = asStrings(rules.users);
  const allowedRoles = asStrings(rules.roles);
  return {
    mention_everyone: everyone && parse.includes('everyone'),
    mentions: users.filter((id) => parse.includes('users') || allowedUsers.includes(id)),
    mention_roles: roles.filter((id) => parse.includes('roles') || allowedRoles.includes(id)),
  };
}

/** A guild channel the fake knows about. */
export interface FakeDiscordChannel {
  id: string;
  type: number;
  guild_id?: string;
  name?: string;
  recipients?: FakeDiscordUser[];
}

/** A guild the fake knows about (announced to gateway clients in READY and GUILD_CREATE). */
export interface FakeDiscordGuild {
  id: string;
  name: string;
  channels: FakeDiscordChannel[];
}

/** What {@link FakeDiscordStore.addGuild} takes: every field optional. */
export interface FakeDiscordGuildInput {
  id?: string;
  name?: string;
  channels?: Array<{ id?: string; name?: string }>;
}

/** Channel type numbers used by the fake. */
export const CHANNEL_TYPE = { GUILD_TEXT: 0, DM: 1 } as const;

/** Message fields the fake never stores but Discord always sends (REST answers and MESSAGE_CREATE). */
export function messageWireDefaults() {
  return { attachments: [], embeds: [], components: [], pinned: false, tts: false, flags: 0 };
}

/** In-memory Discord state: channels, guilds, messages, DM channels, nonces. */
export class FakeDiscordStore {
  readonly guilds = new Map<string, FakeDiscordGuild>();
  readonly channels = new Map<string, FakeDiscordChannel>();
  /** Messages per channel, by id, in creation order (a Map keeps insertion order). */
  readonly #messages = new Map<string, Map<string, FakeDiscordMessage>>();
  readonly #dmByUser = new Map<string, FakeDiscordChannel>();
  readonly #nonces = new Map<string, { message: FakeDiscordMessage; at: number }>();
  /** Every user seen as a message author (served by `GET /users/:id`). */
  readonly users = new Map<string, FakeDiscordUser>();

  messages(channelId: string): FakeDiscordMessage[] {
    return [...(this.#messages.get(channelId)?.values() ?? [])].map((message) => structuredClone(message));
  }

  find(channelId: string, messageId: string): FakeDiscordMessage | undefined {
    return this.#messages.get(channelId)?.get(messageId);
  }

  /** The channel holding message `messageId`, if any. */
  channelOf(messageId: string): string | undefined {
    for (const [channelId, byId] of this.#messages) if (byId.has(messageId)) return channelId;
    return undefined;
  }

  add(message: FakeDiscordMessage): void {
    this.users.set(message.author.id, message.author);
    let byId = this.#messages.get(message.channel_id);
    if (!byId) {
      byId = new Map();
      this.#messages.set(message.channel_id, byId);
    }
    byId.set(message.id, message);
  }

  remove(channelId: string, messageId: string): boolean {
    return this.#messages.get(channelId)?.delete(messageId) ?? false;
  }

  /**
   * The message created by `authorId` in `channelId` with `nonce` less than `windowMs` ago (what
   * `enforce_nonce` returns instead of creating a second message), if any.
   */
  byNonce(
    channelId: string,
    authorId: string,
    nonce: string,
    windowMs: number,
    now = Date.now(),
  ): FakeDiscordMessage | undefined {
    const seen = this.#nonces.get(`${channelId}:${authorId}:${nonce}`);
    return seen !== undefined && now - seen.at < windowMs ? seen.message : undefined;
  }

  /** Remembers `message`'s nonce for {@link byNonce}. */
  rememberNonce(message: FakeDiscordMessage, now = Date.now()): void {
    if (message.nonce === undefined) return;
    this.#nonces.set(`${message.channel_id}:${message.author.id}:${message.nonce}`, { message, at: now });
  }

  /** Adds a guild with its text channels (one channel when `channels` is omitted). */
  addGuild(input: FakeDiscordGuildInput): FakeDiscordGuild {
    const id = input.id ?? snowflake();
    const guild: FakeDiscordGuild = { id, name: input.name ?? `guild-${id}`, channels: [] };
    this.guilds.set(id, guild);
    for (const channel of input.channels ?? [{}])
      this.addGuildChannel(guild, channel.id ?? snowflake(), channel.name);
    return guild;
  }

  /** Adds a text channel to `guild`. */
  addGuildChannel(guild: FakeDiscordGuild, id: string, name?: string): FakeDiscordChannel {
    const channel: FakeDiscordChannel = {
      id,
      type: CHANNEL_TYPE.GUILD_TEXT,
      guild_id: guild.id,
      name: name ?? `text-${id}`,
    };
    guild.channels.push(channel);
    this.channels.set(id, channel);
    return channel;
  }

  dmChannel(user: FakeDiscordUser): FakeDiscordChannel {
    let channel = this.#dmByUser.get(user.id);
    if (!channel) {
      channel = { id: snowflake(), type: CHANNEL_TYPE.DM, recipients: [user] };
      this.#dmByUser.set(user.id, channel);
      this.channels.set(channel.id, channel);
    }
    return channel;
  }
}
