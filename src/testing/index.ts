/**
 * `chatlane/testing` — fakes and helpers for testing bots built on chatlane: a fake OpenRouter
 * server, a fake Discord API (REST + gateway), and deterministic helpers.
 *
 * @packageDocumentation
 */

export { seededRandom } from './random.ts';

// ─── Fake OpenRouter ──────────────────────────────────────────────────────────────────────────

// ─── Fake Discord ─────────────────────────────────────────────────────────────────────────────
