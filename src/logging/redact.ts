import { LOG_REDACTED, LOG_SECRET_KEY_PATTERN, LOG_SECRET_VALUE_PATTERNS } from '../constants.ts';

/** Replaces secrets in a value: see {@link createRedactor}. */
export type Redactor = (value: unknown) => unknown;

const MAX_DEPTH = 8;

function redactString(text: string, secrets: readonly string[]): string {
  let out = text;
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
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactString(value.message, secrets),
      code: (value as { code?: unknown }).code,
    };
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? LOG_REDACTED : walk(item, secrets, depth + 1);
  }
  return out;
}

/**
 * A redactor: values under secret-looking keys (`apiKey`, `token`, `authorization`, …), any of the
 * given secret strings, and token shapes (OpenRouter keys, Bearer tokens, Discord bot tokens) are
 * replaced by `[redacted]`. Returns a copy; the input is never modified.
 */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const known = secrets.filter((secret) => secret.length > 0);
  return (value) => walk(value, known, 0);
}
