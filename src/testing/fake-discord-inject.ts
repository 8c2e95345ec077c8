import type { FakeGateway } from './fake-discord-gateway.ts';
import { guildCreatePayload } from './fake-discord-payloads.ts';
import type { FakeDiscordMessage, FakeDiscordStore, FakeDiscordUser } from './fake-discord-state.ts';
import { CHANNEL_TYPE, messageWireDefaults, snowflake } from './fake-discord-state.ts';

/** A message a test makes a user post, see `FakeDiscord.injectMessage`. */
export interface InjectMessageInput {
  /** Channel id; for a DM, defaults to the author's DM channel; in a guild, a new channel. */
  channelId?: string;
  /** Guild id; omit for a DM. A guild or channel the fake does not know yet is created and announced. */
  guildId?: string;
  /** Message text. */
  content: string;
  /** Who posts it. */
  author: { id: string; username: string; bot?: boolean; global_name?: string | null };
  /** Users mentioned (ids or users); defaults to the `<@id>` mentions found in `content`. */
  mentions?: Array<string | { id: string; username?: string; bot?: boolean }>;
  /** Reply to this message id. */
  replyTo?: string;
}

function toUser(input: string | { id: string; username?: string; bot?: boolean }): FakeDiscordUser {
  const user = typeof input === 'string' ? { id: input } : input;
  return {
    id: user.id,
    username: user.username ?? `user-${user.id}`,
    discriminator: '0',
    global_name: null,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
  };
}

/** The stored message and the MESSAGE_CREATE payload discord.js builds a `Message` from. */
export function buildInjectedMessage(
  input: InjectMessageInput,
  channelId: string,
): { stored: FakeDiscordMessage; payload: Record<string, unknown> } {
  const author = toUser(input.author);
  if (input.author.global_name !== undefined) author.global_name = input.author.global_name;
  const mentioned = (input.mentions ?? [...input.content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? '')).map(
    toUser,
  );
  const timestamp = new Date().toISOString();
  const stored: FakeDiscordMessage = {
    id: snowflake(),
    channel_id: channelId,
    ...(input.guildId === undefined ? {} : { guild_id: input.guildId }),
    author,
    content: input.content,
    timestamp,
    edited_timestamp: null,
    edits: 0,
    type: 0,
    mention_everyone: false,
    mentions: mentioned.map((user) => user.id),
    mention_roles: [],
    ...(input.replyTo ? { message_reference: { message_id: input.replyTo, channel_id: channelId } } : {}),
  };
  const payload: Record<string, unknown> = {
    ...stored,
    mentions: mentioned,
    ...messageWireDefaults(),
  };
  delete payload.edits;
  if (input.guildId === undefined) payload.channel_type = CHANNEL_TYPE.DM;
  else {
    payload.channel_type = CHANNEL_TYPE.GUILD_TEXT;
    payload.member = { roles: [], joined_at: timestamp, deaf: false, mute: false, flags: 0 };
  }
  return { stored, payload };
}

/** What a {@link FakeInjector} works on. */
export interface FakeInjectorDeps {
  store: FakeDiscordStore;
  gateway: FakeGateway;
  botUser: FakeDiscordUser;
  /** Send CHANNEL_CREATE before a DM channel's first message. */
  announceDmChannels: boolean;
}

/** Posts messages "from users" into the fake (store + MESSAGE_CREATE) and replays them. */
export class FakeInjector {
  readonly #deps: FakeInjectorDeps;
  readonly #announced = new Set<string>();
  /** MESSAGE_CREATE payloads of injected messages, by id, for {@link replay}. */
  readonly #payloads = new Map<string, Record<string, unknown>>();

  constructor(deps: FakeInjectorDeps) {
    this.#deps = deps;
  }

  /** Stores the message in `channelId` and dispatches it; a new guild/channel is announced first. */
  async inject(input: InjectMessageInput, channelId: string): Promise<FakeDiscordMessage> {
    if (input.guildId !== undefined) await this.#ensureGuildChannel(input.guildId, channelId);
    else await this.#announceDm(channelId, input);
    const { stored, payload } = buildInjectedMessage(input, channelId);
    this.#deps.store.add(stored);
    this.#payloads.set(stored.id, payload);
    await this.#deps.gateway.dispatch('MESSAGE_CREATE', payload);
    return structuredClone(stored);
  }

  /** Dispatches an injected message's MESSAGE_CREATE again; resolves with the sessions reached. */
  async replay(messageId: string): Promise<number> {
    const payload = this.#payloads.get(messageId);
    if (payload === undefined) throw new Error(`FakeDiscord: no injected message ${messageId} to replay`);
    return this.#deps.gateway.dispatch('MESSAGE_CREATE', payload);
  }

  /** Makes sure a guild text channel exists, announcing it to connected clients when it is new. */
  async #ensureGuildChannel(guildId: string, channelId: string): Promise<void> {
    const { store, gateway, botUser } = this.#deps;
    const guild = store.guilds.get(guildId);
    if (!guild) {
      const created = store.addGuild({ id: guildId, channels: [{ id: channelId }] });
      await gateway.dispatch('GUILD_CREATE', guildCreatePayload(created, botUser));
      return;
    }
    if (guild.channels.some((channel) => channel.id === channelId)) return;
    const channel = store.addGuildChannel(guild, channelId);
    await gateway.dispatch('CHANNEL_CREATE', { ...channel, position: 0, permission_overwrites: [] });
  }

  async #announceDm(channelId: string, input: InjectMessageInput): Promise<void> {
    const { store, gateway } = this.#deps;
    if (!store.channels.has(channelId)) {
      store.channels.set(channelId, {
        id: channelId,
        type: CHANNEL_TYPE.DM,
        recipients: [input.author as FakeDiscordUser],
      });
    }
    if (!this.#deps.announceDmChannels || this.#announced.has(channelId)) return;
    this.#announced.add(channelId);
    await gateway.dispatch('CHANNEL_CREATE', { ...store.channels.get(channelId), last_message_id: null });
  }
}
