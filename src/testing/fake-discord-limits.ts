import { createHash } from 'node:crypto';

const MS_PER_SECOND = 1_000;
const BUCKET_HASH_CHARS = 16;

/** A scripted 429 answer: the next `times` matching requests get it. */
export interface Scripted429 {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Path to match, e.g. `/channels/123/messages` (a string matches as a substring). */
  path?: string | RegExp;
  /** How long Discord asks to wait, in milliseconds (sent as fractional seconds). */
  retryAfterMs: number;
  /** A global rate limit (`X-RateLimit-Global: true`) instead of a per-route one. @default false */
  global?: boolean;
  /** `X-RateLimit-Scope` header. @default 'user' */
  scope?: 'user' | 'global' | 'shared';
  /** Number of requests that get this answer. @default 1 */
  times?: number;
}

/** A scripted error answer. */
export interface ScriptedError {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Path to match (a string matches as a substring). */
  path?: string | RegExp;
  /** HTTP status, e.g. 403 or 500. */
  status: number;
  /** Discord JSON error code, e.g. 50007. @default 0 */
  code?: number;
  /** Error message. @default 'Scripted error' */
  message?: string;
  /** Apply the request (create/edit the message) and only then answer with the error. @default false */
  afterApply?: boolean;
  /** Number of requests that get this answer. @default 1 */
  times?: number;
}

/** Something a request can be matched against. */
export interface Matchable {
  method?: string;
  path?: string | RegExp;
  times?: number;
}

/** Takes the first script matching the request (and uses up one of its `times`). */
export function takeScript<T extends Matchable>(scripts: T[], method: string, path: string): T | undefined {
  const index = scripts.findIndex(
    (script) =>
      (script.method === undefined || script.method.toUpperCase() === method) &&
      (script.path === undefined ||
        (typeof script.path === 'string' ? path.includes(script.path) : script.path.test(path))),
  );
  if (index === -1) return undefined;
  const script = scripts[index] as T;
  const left = (script.times ?? 1) - 1;
  if (left <= 0) scripts.splice(index, 1);
  else script.times = left;
  return script;
}

/** Route template and major parameter of a path, as Discord buckets them. */
export function bucketOf(method: string, path: string): { route: string; major: string } {
  const major = /^\/(?:channels|guilds|webhooks)\/(\d{17,19})/.exec(path)?.[1] ?? 'global';
  return { route: `${method} ${path.replace(/\d{17,19}/g, ':id')}`, major };
}

interface Window {
  startedAt: number;
  count: number;
}

/** Per-bucket fixed windows producing realistic `X-RateLimit-*` headers and real 429s. */
export class FakeBuckets {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Counts one request; returns its headers and, when over the limit, the wait before retrying. */
  take(
    method: string,
    path: string,
    now = Date.now(),
  ): { headers: Record<string, string>; retryAfterMs: number } {
    const { route, major } = bucketOf(method, path);
    const key = `${route}|${major}`;
    let window = this.#windows.get(key);
    if (!window || now - window.startedAt >= this.#windowMs) {
      window = { startedAt: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    const resetAfterMs = window.startedAt + this.#windowMs - now;
    const remaining = Math.max(0, this.#limit - window.count);
    const headers = rateLimitHeaders(route, this.#limit, remaining, resetAfterMs, now);
    return { headers, retryAfterMs: window.count > this.#limit ? resetAfterMs : 0 };
  }
}

/**
 * Discord's global limit: at most `limit` requests per `windowMs` per bot token (the
 * `Authorization` header), whatever the route and however many connections or processes send
 * them. Fixed windows that start at the first request after the previous one ended.
 */
export class FakeGlobalLimit {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;
  /** Requests answered with a global 429 because the limit was exceeded. */
  violations = 0;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Counts one request of `token`; the wait before retrying when it is over the limit, else 0. */
  take(token: string, now = Date.now()): number {
    let window = this.#windows.get(token);
    if (!window || now - window.startedAt >= this.#windowMs) {
      window = { startedAt: now, count: 0 };
      this.#windows.set(token, window);
    }
    window.count += 1;
    if (window.count <= this.#limit) return 0;
    this.violations += 1;
    return Math.max(1, window.startedAt + this.#windowMs - now);
  }
}

/** `X-RateLimit-*` headers as Discord sends them (seconds with millisecond precision). */
export function rateLimitHeaders(
  route: string,
  limit: number,
  remaining: number,
  resetAfterMs: number,
  now = Date.now(),
): Record<string, string> {
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': ((now + resetAfterMs) / MS_PER_SECOND).toFixed(3),
    'x-ratelimit-reset-after': (resetAfterMs / MS_PER_SECOND).toFixed(3),
    'x-ratelimit-bucket': createHash('sha1').update(route).digest('hex').slice(0, BUCKET_HASH_CHARS),
  };
}

/** Headers and body of a 429 answer. */
export function tooManyRequests(
  route: string,
  retryAfterMs: number,
  global: boolean,
  scope: string,
): { headers: Record<string, string>; body: Record<string, unknown> } {
  const seconds = retryAfterMs / MS_PER_SECOND;
  const headers: Record<string, string> = {
    ...rateLimitHeaders(route, 1, 0, retryAfterMs),
    'retry-after': String(seconds),
    'x-ratelimit-scope': scope,
  };
  if (global) headers['x-ratelimit-global'] = 'true';
  return { headers, body: { message: 'You are being rate limited.', retry_after: seconds, global, code: 0 } };
}
