import type { FakeDiscordGuild, FakeDiscordUser } from './fake-discord-state.ts';

const EVERYONE_PERMISSIONS = '1071698660929';
const AFK_TIMEOUT_S = 300;

/** A guild as GUILD_CREATE carries it: enough fields for discord.js to build and cache it. */
export function guildCreatePayload(
  guild: FakeDiscordGuild,
  botUser: FakeDiscordUser,
): Record<string, unknown> {
  const joinedAt = new Date().toISOString();
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: botUser.id,
    afk_channel_id: null,
    afk_timeout: AFK_TIMEOUT_S,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_progress_bar_enabled: false,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    vanity_url_code: null,
    application_id: null,
    preferred_locale: 'en-US',
    features: [],
    emojis: [],
    stickers: [],
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        permissions: EVERYONE_PERMISSIONS,
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 1,
    members: [{ user: botUser, roles: [], joined_at: joinedAt, deaf: false, mute: false, flags: 0 }],
    channels: guild.channels.map((channel, position) => ({
      id: channel.id,
      type: channel.type,
      name: channel.name ?? `channel-${position}`,
      position,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      topic: null,
    })),
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
