import { createHash, randomUUID } from 'node:crypto';
import { DISCORD_NONCE_CHARS, DISCORD_SIMPLE_TEXT_CHARS } from '../constants.ts';
import { DiscordContentError } from './errors.ts';

/** Which mentions in a message may actually ping. The default everywhere is "none". */
export interface AllowedMentions {
  /** Mention types parsed from the content: `'users'`, `'roles'`, `'everyone'` (covers @here). @default [] */
  parse?: ReadonlyArray<'users' | 'roles' | 'everyone'>;
  /** User ids that may be pinged (do not combine with `parse: ['users']`). @default [] */
  users?: readonly string[];
  /** Role ids that may be pinged (do not combine with `parse: ['roles']`). @default [] */
  roles?: readonly string[];
  /** In a reply, whether the replied-to author is pinged. @default false */
  repliedUser?: boolean;
}

/** Discord's wire shape of {@link AllowedMentions}. */
export interface ApiAllowedMentions {
  parse: string[];
  users?: string[];
  roles?: string[];
  replied_user: boolean;
}

/** Nothing pings: no @everyone/@here, no roles, no users, no reply ping. */
export const NO_MENTIONS: Readonly<AllowedMentions> = Object.freeze({ parse: [], repliedUser: false });

/** Converts caller-facing mentions to the JSON Discord expects (sent on every create and edit). */
export function toApiMentions(mentions: AllowedMentions | undefined): ApiAllowedMentions {
  const source = mentions ?? NO_MENTIONS;
  const api: ApiAllowedMentions = {
    parse: [...(source.parse ?? [])],
    replied_user: source.repliedUser ?? false,
  };
  if (source.users) api.users = [...source.users];
  if (source.roles) api.roles = [...source.roles];
  return api;
}

/** C0 control characters except tab and newline, DEL, and lone carriage returns. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** `\r\n`/`\r` → `\n`, control characters (except tab and newline) removed; never throws. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '');
}

/**
 * Normalises text for Discord: `\r\n`/`\r` become `\n`, other control characters are removed
 * (they render as boxes or break markdown). Throws {@link DiscordContentError} when nothing
 * visible is left, since Discord would answer 50006 anyway.
 */
export function normalizeContent(content: unknown): string {
  if (typeof content !== 'string') {
    throw new DiscordContentError(`Message content must be a string, got ${typeof content}`);
  }
  const cleaned = normalizeText(content);
  if (cleaned.trim().length === 0) {
    throw new DiscordContentError('Cannot send an empty message (content is empty after cleaning)');
  }
  return cleaned;
}

/** Plain short text: no markdown structure worth processing, goes out as-is in one request. */
export function isSimpleText(content: string, simpleTextChars = DISCORD_SIMPLE_TEXT_CHARS): boolean {
  return content.length < simpleTextChars && !content.includes('\n') && !content.includes('`');
}

/**
 * A unique nonce for `enforce_nonce`: 25 hex characters of a random UUID (94 random bits).
 * `randomUUID()` draws from a buffered entropy pool, so it costs far less than `randomBytes()`.
 */
export function createNonce(): string {
  return randomUUID().replaceAll('-', '').slice(0, DISCORD_NONCE_CHARS);
}

/**
 * A deterministic nonce for message `index` of the reply keyed by `key` (the replied-to message
 * id, or the caller's idempotency key): `${key}:${index}` when it fits Discord's 25 characters,
 * else the first 25 hex characters of its SHA-256. Two processes answering the same message
 * derive the same nonces, so with `enforce_nonce` Discord creates each message once.
 */
export function deriveNonce(key: string, index: number | string): string {
  const plain = `${key}:${index}`;
  if (plain.length <= DISCORD_NONCE_CHARS) return plain;
  return createHash('sha256').update(plain).digest('hex').slice(0, DISCORD_NONCE_CHARS);
}
