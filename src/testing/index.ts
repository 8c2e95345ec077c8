/**
 * `chatlane/testing` — fakes and helpers for testing bots built on chatlane: a fake OpenRouter
 * server, a fake Discord API (REST + gateway), and deterministic helpers.
 *
 * @packageDocumentation
 */

// ─── Helpers ──────────────────────────────────────────────────────────────────────────────────
export { seededRandom } from './random.ts';
export { ManualClock } from './manual-clock.ts';

// ─── Fake OpenRouter ──────────────────────────────────────────────────────────────────────────
export type { FakeOpenRouterOptions } from './fake-openrouter.ts';
export { FakeOpenRouter } from './fake-openrouter.ts';
export type {
  FakeBehaviour,
  FakeErrorObject,
  FakeRecordedRequest,
  FakeToolCall,
} from './fake-openrouter-behaviour.ts';
export type { FakeRawAnswer } from './fake-openrouter-hostile.ts';

// ─── Fake Discord ─────────────────────────────────────────────────────────────────────────────
export type { FakeDiscordOptions, FakeDiscordRequest } from './fake-discord.ts';
export type { FakeDiscordFile } from './fake-discord-types.ts';
export { DEFAULT_FAKE_DISCORD_OPTIONS } from './constants.ts';
export { FakeDiscord } from './fake-discord.ts';
export type { InjectMessageInput } from './fake-discord-inject.ts';
export type { WaitForReplyOptions } from './fake-discord-reply.ts';
export { FakeDiscordWaitTimeoutError } from './fake-discord-reply.ts';
export type { Scripted429, ScriptedError } from './fake-discord-limits.ts';
export type {
  FakeDiscordAttachment,
  FakeDiscordGuild,
  FakeDiscordMessage,
  FakeDiscordUser,
} from './fake-discord-state.ts';
export { snowflake } from './fake-discord-state.ts';
export { MissingPeerDependencyError } from './fake-discord-ws.ts';
