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
/**
 * A URL's user info: `scheme://user:password@host`, `redis://:password@host`. Group 1 the scheme
 * and `//`, 2 the user info up to the last `@` before the path (a password may hold a raw `@`).
 */
const URL_USERINFO = /(\b[A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/?#]*)@/g;
/** A whole configuration URL: its user info runs to the last `@` (a raw `/` or `?` in a password too). */
const CONFIG_URL_USERINFO = /^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)(\S*)@/;
/** Keys of configuration URLs (`REDIS_URL`, `database-url`, `redisUrl`, `url`, `…_URI`). */
const URL_KEY = /(?:^|[-_.]|[a-z\d](?=U))(?:url|uri|URL|URI|Url|Uri)$/;

/** `user:password` → `user:[redacted]`; without a password, `userOnlyToo` says whether to hide the user. */
function redactUserInfo(userInfo: string, userOnlyToo: boolean): string {
  const colon = userInfo.indexOf(':');
  if (colon !== -1) return `${userInfo.slice(0, colon)}:${LOG_REDACTED}`;
  return userOnlyToo && userInfo !== '' ? LOG_REDACTED : userInfo;
}

function redactUrlParts(text: string): string {
  if (!text.includes('=') && !text.includes('@')) return text;
  return text
    .replace(
      URL_USERINFO,
      (_match, scheme: string, userInfo: string) => `${scheme}${redactUserInfo(userInfo, false)}@`,
    )
    .replace(QUERY_PARAM, (match, prefix: string, name: string, value: string) =>
      value !== '' && (isSecretKey(name) || SECRET_QUERY_NAMES.test(name.toLowerCase()))
        ? `${prefix}${LOG_REDACTED}`
        : match,
    );
}

/**
 * The value of a configuration URL key (`REDIS_URL`): its whole user info is a credential (a user
 * name alone can be a token: `https://TOKEN@host`), even with unencoded `@`, `/`, `?` in it.
 */
function redactConfigUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(CONFIG_URL_USERINFO, (match, scheme: string, userInfo: string) =>
    isUserInfo(userInfo) ? `${scheme}${redactUserInfo(userInfo, true)}@` : match,
  );
}

/**
 * Whether the text before a config URL's last `@` is user info rather than host and path
 * (`https://host/@scope/pkg`, `https://host:8080/@x`): no path before the `@`, or a `:` before the
 * path followed by something that is not a port.
 */
function isUserInfo(candidate: string): boolean {
  const pathAt = candidate.search(/[/?#]/);
  if (pathAt === -1) return true;
  const authority = candidate.slice(0, pathAt);
  const colon = authority.indexOf(':');
  return colon !== -1 && !/^\d*$/.test(authority.slice(colon + 1));
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
    let redacted = isSecretKey(key)
      ? LOG_REDACTED
      : readSafely(() => walk((value as Record<string, unknown>)[key], secrets, depth + 1));
    if (URL_KEY.test(key)) redacted = redactConfigUrl(redacted);
    // defineProperty, not assignment: a key named `__proto__` stays a key (and sets no prototype).
    Object.defineProperty(out, key, {
      value: redacted,
      enumerable: true,
      writable: true,
      configurable: true,
    });
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
 * URL query parameters (`?key=`, `&api_key=`, `access_token=`, …) and URL passwords (`user:pw@`,
 * `redis://:pw@`, any scheme; the whole user info under keys such as `REDIS_URL` / `redisUrl`) are
 * replaced by `[redacted]`. Errors keep `name`, `message`, `code` and their `cause` chain; values with a
 * `toJSON` (Date, URL) are redacted in their JSON form. Returns a copy; the input is never modified.
 */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const known = secrets.filter((secret) => secret.length > 0);
  return (value) => walk(value, known, 0);
}
