import type { APIRequest, RateLimitData, REST, ResponseLike } from 'discord.js';
import {
  DISCORD_INVALID_REQUEST_LIMIT,
  DISCORD_INVALID_REQUEST_WARN_RATIOS,
  DISCORD_INVALID_REQUEST_WINDOW_MS,
} from '../constants.ts';
import type { Clock } from '../internal/clock.ts';

const MS_PER_SECOND = 1_000;
const INVALID_STATUSES: ReadonlySet<number> = new Set([401, 403, 429]);
const TOO_MANY_REQUESTS = 429;
const GLOBAL_KEY = '*';
const SHARED_SCOPE = 'shared';

/** A rate limit the sender saw, with the jitter it adds before the channel's next request. */
export interface RateLimitEvent {
  /** Channel (or guild/webhook) id the limit applies to; `'*'` for the global limit. */
  channelId: string;
  /** Wait Discord asked for (or discord.js computed), in ms. */
  retryAfterMs: number;
  /** Extra random wait in [jitterMinMs, jitterMaxMs] added after the reset. */
  jitterMs: number;
  /** A global (all routes) limit. */
  global: boolean;
  /** `'response'`: a 429 answer; `'preemptive'`: discord.js held a request for an exhausted bucket. */
  source: 'response' | 'preemptive';
}

/** Settings of a {@link RateLimitGate}. */
export interface RateLimitGateOptions {
  clock: Clock;
  random: () => number;
  jitterMinMs: number;
  jitterMaxMs: number;
  onRateLimit: (event: RateLimitEvent) => void;
  /** Called when invalid requests in the window reach 50% and 90% of Discord's limit. */
  onInvalidWarning?: (warning: InvalidRequestWarning) => void;
}

/** Invalid requests (401/403/429) are nearing Discord's limit (a temporary IP ban past it). */
export interface InvalidRequestWarning {
  /** Invalid requests in the current window. */
  count: number;
  /** Discord's limit per window (10,000). */
  limit: number;
  /** Time left in the current 10-minute window, ms. */
  windowRemainingMs: number;
}

/** The major parameter of a route, as discord.js buckets it: the channel/guild/webhook id. */
export function majorOf(path: string): string {
  return /^\/(?:channels|guilds|webhooks)\/(\d{17,19})/.exec(path)?.[1] ?? GLOBAL_KEY;
}

/**
 * Watches a discord.js REST instance (`response` and `rateLimited` events) and holds a
 * channel's next queued request until its reset plus a random 100–300 ms, so that many waiting
 * requests do not all fire at the reset instant. Also counts invalid requests (401/403/429, but
 * not a shared-scope 429) against Discord's 10,000 per 10 minutes.
 */
export class RateLimitGate {
  readonly #options: RateLimitGateOptions;
  readonly #heldUntil = new Map<string, number>();
  #invalidWindowStart = 0;
  #invalidCount = 0;
  #tooManyRequests = 0;
  #holds = 0;
  #detach: () => void = () => {};

  constructor(options: RateLimitGateOptions) {
    this.#options = options;
  }

  /** Starts listening to `rest`; `close()` stops. */
  attach(rest: REST): void {
    const onResponse = (request: APIRequest, response: ResponseLike) =>
      this.observeResponse(request.path, response);
    const onRateLimited = (info: RateLimitData) =>
      this.hold(info.global ? GLOBAL_KEY : info.majorParameter, info.timeToReset, info.global, 'preemptive');
    rest.on('response', onResponse);
    rest.on('rateLimited', onRateLimited);
    this.#detach = () => {
      rest.off('response', onResponse);
      rest.off('rateLimited', onRateLimited);
    };
  }

  /** Accounts one REST answer (status and headers). */
  observeResponse(path: string, response: Pick<ResponseLike, 'status' | 'headers'>): void {
    // Discord does not count a 429 of a shared resource limit (`X-RateLimit-Scope: shared`).
    const shared = response.headers.get('x-ratelimit-scope') === SHARED_SCOPE;
    if (INVALID_STATUSES.has(response.status) && !(response.status === TOO_MANY_REQUESTS && shared))
      this.#countInvalid();
    if (response.status !== TOO_MANY_REQUESTS) return;
    this.#tooManyRequests += 1;
    const global = response.headers.get('x-ratelimit-global') !== null;
    const retryAfterMs = Number(response.headers.get('retry-after') ?? 0) * MS_PER_SECOND;
    this.hold(
      global ? GLOBAL_KEY : majorOf(path),
      Number.isFinite(retryAfterMs) ? retryAfterMs : 0,
      global,
      'response',
    );
  }

  /** Holds `key` until `retryAfterMs` plus jitter from now. */
  hold(key: string, retryAfterMs: number, global: boolean, source: RateLimitEvent['source']): void {
    const { jitterMinMs, jitterMaxMs, clock, random } = this.#options;
    const jitterMs = jitterMinMs + random() * (jitterMaxMs - jitterMinMs);
    const until = clock.now() + Math.max(0, retryAfterMs) + jitterMs;
    this.#heldUntil.set(key, Math.max(this.#heldUntil.get(key) ?? 0, until));
    this.#holds += 1;
    this.#options.onRateLimit({ channelId: key, retryAfterMs, jitterMs, global, source });
  }

  /** Milliseconds `channelId` must still wait (its own hold or the global one); 0 when free. */
  holdFor(channelId: string): number {
    const now = this.#options.clock.now();
    const wait = Math.max(this.#heldUntil.get(channelId) ?? 0, this.#heldUntil.get(GLOBAL_KEY) ?? 0) - now;
    if (wait > 0) return wait;
    this.#heldUntil.delete(channelId);
    return 0;
  }

  #countInvalid(): void {
    const now = this.#options.clock.now();
    if (this.#invalidWindowOver(now)) {
      this.#invalidWindowStart = now;
      this.#invalidCount = 0;
    }
    this.#invalidCount += 1;
    const crossed = DISCORD_INVALID_REQUEST_WARN_RATIOS.some(
      (ratio) => this.#invalidCount === Math.ceil(ratio * DISCORD_INVALID_REQUEST_LIMIT),
    );
    if (crossed) {
      this.#options.onInvalidWarning?.({
        count: this.#invalidCount,
        limit: DISCORD_INVALID_REQUEST_LIMIT,
        windowRemainingMs: this.#invalidWindowStart + DISCORD_INVALID_REQUEST_WINDOW_MS - now,
      });
    }
  }

  #invalidWindowOver(now: number): boolean {
    return now - this.#invalidWindowStart >= DISCORD_INVALID_REQUEST_WINDOW_MS;
  }

  /** 429 answers seen, holds applied, and invalid requests in the current 10-minute window. */
  stats(): {
    rateLimited: number;
    rateLimitHolds: number;
    invalidRequests: number;
    invalidRequestLimit: number;
  } {
    return {
      rateLimited: this.#tooManyRequests,
      rateLimitHolds: this.#holds,
      invalidRequests: this.#invalidWindowOver(this.#options.clock.now()) ? 0 : this.#invalidCount,
      invalidRequestLimit: DISCORD_INVALID_REQUEST_LIMIT,
    };
  }

  /** Stops listening. */
  close(): void {
    this.#detach();
    this.#heldUntil.clear();
  }
}
