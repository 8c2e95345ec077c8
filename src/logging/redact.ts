import { LOG_REDACTED, LOG_SECRET_KEY_PATTERN, LOG_SECRET_VALUE_PATTERNS } from '../constants.ts';

/** Replaces secrets in a value: see {@link createRedactor}. */
export type Redactor = (value: unknown) => unknown;

const MAX_DEPTH = 8;
/** Stands in for a value that threw while being read. */
const UNSERIALIZABLE = '[unserializable]';

/** A URL query parameter (`?name=value`, `&name=value`): group 1 the prefix, 2 the name, 3 the value. */
const QUERY_PARAM = /([?&;]([A-Za-z0-9_.-]+)=)([^&#\s"'<>]*)/g;
/** Short query-parameter names that carry credentials (besides the secret key names). */
const SECRET_QUERY_NAMES = /^(?:key|sig|signature|auth|code)$/;
/** The password of a URL's user info: `scheme://user:password@host`. */
const URL_PASSWORD = /(\/\/[^/\s:@]+:)[^/\s@]+@/g;

function redactUrlParts(text: string): string {
  if (!text.includes('=') && !text.includes('@')) return text;
  return text
    .replace(URL_PASSWORD, `$1${LOG_REDACTED}@`)
    .replace(QUERY_PARAM, (match, prefix: string, name: string, value: string) =>
      value !== '' && (isSecretKey(name) || SECRET_QUERY_NAMES.test(name.toLowerCase()))
        ? `${prefix}${LOG_REDACTED}`
        : match,
    );
}

function redactString(text: string, secrets: readonly string[]): string {
  let out = redactUrlParts(text);
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(LOG_REDACTED);
  for (const pattern of LOG_SECRET_VALUE_PATTERNS) {
    pattern.lastIndex = 0;
    if (pattern.test(out)) out = out.replace(pattern, LOG_REDACTED);
  }
  return out;
}

function isSecretKey(key: string): boolean {
  return LOG_SECRET_KEY_PATTERN.test(key.toLowerCase().replace(/[-_]/g, ''));
}

function walk(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactString(value, secrets);
  if (typeof value === 'bigint') return value.toString(); // JSON.stringify would throw on it
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (value instanceof Error) return walkError(value, secrets, depth);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    // Date, URL, Buffer…: what JSON.stringify would write, then redacted (a URL's query keys).
    return readSafely(() => walk((value as { toJSON: () => unknown }).toJSON(), secrets, depth + 1));
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[key] = isSecretKey(key)
      ? LOG_REDACTED
      : readSafely(() => walk((value as Record<string, unknown>)[key], secrets, depth + 1));
  }
  return out;
}

/** A value whose getter or `toJSON` throws is logged as {@link UNSERIALIZABLE}: logging never throws. */
function readSafely(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return UNSERIALIZABLE;
  }
}

/** An Error as `name`, redacted `message`, `code`, and its `cause` (redacted the same way). */
function walkError(error: Error, secrets: readonly string[], depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: error.name,
    message: redactString(error.message, secrets),
    code: (error as { code?: unknown }).code,
  };
  if (error.cause !== undefined) out.cause = walk(error.cause, secrets, depth + 1);
  return out;
}

/**
 * A redactor: values under secret-looking keys (`apiKey`, `token`, `authorization`, …), any of the
 * given secret strings, token shapes (OpenRouter keys, Bearer tokens, Discord bot tokens), secret
 * URL query parameters (`?key=`, `&api_key=`, `access_token=`, …) and URL passwords are replaced by
 * `[redacted]`. Errors keep `name`, `message`, `code` and their `cause` chain; values with a
 * `toJSON` (Date, URL) are redacted in their JSON form. Returns a copy; the input is never modified.
 */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const known = secrets.filter((secret) => secret.length > 0);
  return (value) => walk(value, known, 0);
}
