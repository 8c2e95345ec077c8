import type { FakeDiscordMessage, FakeDiscordUser } from './fake-discord-state.ts';
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
