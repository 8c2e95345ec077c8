/**
 * `chatlane/testing` — fakes and helpers for testing bots built on chatlane: a fake OpenRouter
 * server, a fake Discord API (REST + gateway), and deterministic helpers.
 *
 * @packageDocumentation
 */

export { seededRandom } from './random.ts';

// ─── Fake OpenRouter ──────────────────────────────────────────────────────────────────────────

// ─── Fake Discord ─────────────────────────────────────────────────────────────────────────────
export type { FakeDiscordOptions, FakeDiscordRequest } from './fake-discord.ts';
export { FakeDiscord } from './fake-discord.ts';
export type { InjectMessageInput } from './fake-discord-inject.ts';
export type { Scripted429, ScriptedError } from './fake-discord-limits.ts';
export type { FakeDiscordGuild, FakeDiscordMessage, FakeDiscordUser } from './fake-discord-state.ts';
export { snowflake } from './fake-discord-state.ts';
export { ManualClock } from './manual-clock.ts';
