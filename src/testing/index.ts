/**
 * `chatlane/testing` — fakes and helpers for testing bots built on chatlane: a fake OpenRouter
 * server, a fake Discord API (REST + gateway), and deterministic helpers.
 *
 * @packageDocumentation
 */

export type { FakeOpenRouterOptions } from './fake-openrouter.ts';
export { FakeOpenRouter } from './fake-openrouter.ts';
// ─── Fake OpenRouter ──────────────────────────────────────────────────────────────────────────
export type { FakeBehaviour, FakeErrorObject, FakeRecordedRequest } from './fake-openrouter-behaviour.ts';
export { seededRandom } from './random.ts';

// ─── Fake Discord ─────────────────────────────────────────────────────────────────────────────
