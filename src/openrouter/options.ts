import type { Dispatcher } from 'undici';
import { z } from 'zod';
import {
  OR_BASE_URL,
  OR_BREAKER_COOLDOWN_MS,
  OR_BREAKER_FAILURE_THRESHOLD,
  OR_CONNECT_TIMEOUT_MS,
  OR_DEFAULT_APP_NAME,
  OR_DEFAULT_APP_URL,
  OR_FIRST_TOKEN_ADAPTIVE_FLOOR_MS,
  OR_FIRST_TOKEN_ADAPTIVE_MULTIPLIER,
  OR_MAX_BODY_BYTES,
  OR_MAX_EVENT_BYTES,
  OR_MAX_RETRIES,
  OR_POOL_MAX_CONNECTIONS,
  OR_QUEUE_TIMEOUT_MS,
  OR_READ_TIMEOUT_MS,
  OR_STREAM_FIRST_TOKEN_TIMEOUT_MS,
  OR_STREAM_IDLE_TIMEOUT_MS,
  OR_TOTAL_DEADLINE_MS,
} from '../constants.ts';
import { type Clock, isClock, systemClock } from '../internal/clock.ts';
import { loggerOption, parseOptions } from '../internal/options.ts';
import type { LoggerLike } from '../logging/event.ts';
import { RedisOpenRouterState } from './shared-state.ts';

/** Circuit breaker options (one breaker per model). */
export interface OpenRouterBreakerOptions {
  /** Consecutive failures that open a model's breaker. @default 2 (OR_BREAKER_FAILURE_THRESHOLD) */
  failureThreshold?: number;
  /** Time an open breaker stays open before one half-open probe. @default 15000 (OR_BREAKER_COOLDOWN_MS) */
  cooldownMs?: number;
}

/** Hedging options. */
export interface OpenRouterHedgeOptions {
  /**
   * Delay before the parallel attempt. Default: the model's observed p95 latency (after
   * OR_HEDGE_MIN_SAMPLES samples), else OR_HEDGE_DEFAULT_DELAY_MS.
   */
  delayMs?: number;
}

/** How the first-token deadline adapts to a model (see `adaptiveFirstToken`). */
export interface OpenRouterAdaptiveFirstTokenOptions {
  /** Deadline = this × the model's observed p95 time to first token. @default 3 */
  multiplier?: number;
  /** The deadline is never shorter than this. @default 2000 */
  floorMs?: number;
}

/** Options of {@link OpenRouterClient}. */
export interface OpenRouterClientOptions {
  /** OpenRouter API key (sent as `Authorization: Bearer …`, never logged). */
  apiKey: string;
  /** API base URL; `/chat/completions` is appended. @default 'https://openrouter.ai/api/v1' */
  baseUrl?: string;
  /** Default fallback ladder, first model first. */
  models: string[];
  /** Retries per model after the first attempt. @default 2 */
  maxRetries?: number;
  /** TCP/TLS connect timeout. @default 5000 */
  connectTimeoutMs?: number;
  /** Headers timeout and idle time between body chunks. @default 8000 */
  readTimeoutMs?: number;
  /** Deadline of one call across all retries and fallbacks. @default 30000 */
  totalTimeoutMs?: number;
  /**
   * Most connections to the origin, opened on demand, closed after 60 s idle. Each streamed answer
   * holds one connection for its whole length, so this caps the answers generated at once; a call
   * beyond it waits up to `queueTimeoutMs`. @default 1024 (OR_POOL_MAX_CONNECTIONS)
   */
  maxConnections?: number;
  /**
   * Longest wait for a free pooled connection before a request is sent → `QueueTimeoutError`
   * (ends the call; not a model failure). Not counted by the stream watchdog.
   * @default 10000 (OR_QUEUE_TIMEOUT_MS)
   */
  queueTimeoutMs?: number;
  /** Per-model circuit breaker. @default { failureThreshold: 2, cooldownMs: 15000 } */
  breaker?: OpenRouterBreakerOptions;
  /** Hedged requests (a parallel attempt on the next model when the first is slow). @default false */
  hedge?: boolean | OpenRouterHedgeOptions;
  /** App name sent as `X-OpenRouter-Title` and `X-Title`. @default 'chatlane' */
  appName?: string;
  /** App URL sent as `HTTP-Referer`. @default OR_DEFAULT_APP_URL */
  appUrl?: string;
  /**
   * Streams: no content token within this long → `TimeoutError('first_token')`. With
   * `adaptiveFirstToken` it is the ceiling, and the deadline until a model has enough answers.
   * @default 15000
   */
  streamFirstTokenTimeoutMs?: number;
  /**
   * Streams: the first-token deadline adapts to each model — `multiplier` × the p95 of its observed
   * time to first token, at least `floorMs`, at most `streamFirstTokenTimeoutMs` — so a model that
   * accepts a request and then stalls is given up within a few seconds instead of 15. `false`
   * keeps the fixed `streamFirstTokenTimeoutMs`.
   * @default { multiplier: 3, floorMs: 2000 }
   */
  adaptiveFirstToken?: false | OpenRouterAdaptiveFirstTokenOptions;
  /** Streams: no content token for this long between tokens → `TimeoutError('idle')`. @default 8000 */
  streamIdleTimeoutMs?: number;
  /** Your own undici dispatcher (Agent, Pool, MockAgent…); the client then does not own or close it. @default a Pool per origin */
  dispatcher?: Dispatcher;
  /** Random source in [0, 1) for backoff jitter. @default Math.random */
  random?: () => number;
  /**
   * Breakers shared with the bot's other processes through Redis: a model one process opens is
   * skipped by all within one pub/sub round trip; the one probe that closes it closes it for all.
   * Not closed by the client. @default none (this process's own breakers)
   */
  sharedState?: RedisOpenRouterState;
  /**
   * Time and timers of every call: latencies, the total deadline, retry waits, hedge delay, pool
   * wait and stream watchdogs. Inject `ManualClock` (`chatlane/testing`) to drive them in tests.
   * @default the real clock (monotonic `performance.now()`, Node timers)
   */
  clock?: Clock;
  /**
   * Streams: largest SSE event accepted, in bytes; a bigger one fails the attempt with
   * `ResponseTooLargeError` as soon as it passes the limit. @default 4194304 (4 MiB, OR_MAX_EVENT_BYTES)
   */
  maxEventBytes?: number;
  /**
   * `chat()`: largest response body accepted, in bytes (also a stream answered with a whole JSON
   * body); a bigger one fails the attempt with `ResponseTooLargeError`. @default 16777216 (16 MiB, OR_MAX_BODY_BYTES)
   */
  maxBodyBytes?: number;
  /**
   * Logger the client writes its notable events to (a chatlane `Logger`, pino, …): `model_fallback`,
   * `stream_restarted`, `breaker_open` (WARNING), `breaker_recovered` (INFO),
   * `openrouter_configuration_error` (ERROR), each with the call's `context` merged in. @default none
   */
  logger?: LoggerLike;
}

const positiveMs = z.number().int().positive();

const schema = z.strictObject({
  apiKey: z.string().min(1),
  baseUrl: z.url().default(OR_BASE_URL),
  models: z.array(z.string().min(1)).min(1),
  maxRetries: z.number().int().min(0).default(OR_MAX_RETRIES),
  connectTimeoutMs: positiveMs.default(OR_CONNECT_TIMEOUT_MS),
  readTimeoutMs: positiveMs.default(OR_READ_TIMEOUT_MS),
  totalTimeoutMs: positiveMs.default(OR_TOTAL_DEADLINE_MS),
  maxConnections: z.number().int().min(1).default(OR_POOL_MAX_CONNECTIONS),
  queueTimeoutMs: positiveMs.default(OR_QUEUE_TIMEOUT_MS),
  breaker: z
    .strictObject({
      failureThreshold: z.number().int().min(1).default(OR_BREAKER_FAILURE_THRESHOLD),
      cooldownMs: z.number().int().min(0).default(OR_BREAKER_COOLDOWN_MS),
    })
    .default({ failureThreshold: OR_BREAKER_FAILURE_THRESHOLD, cooldownMs: OR_BREAKER_COOLDOWN_MS }),
  hedge: z
    .union([z.boolean(), z.strictObject({ delayMs: z.number().int().min(0).optional() })])
    .default(false),
  appName: z.string().min(1).default(OR_DEFAULT_APP_NAME),
  appUrl: z.string().min(1).default(OR_DEFAULT_APP_URL),
  streamFirstTokenTimeoutMs: positiveMs.default(OR_STREAM_FIRST_TOKEN_TIMEOUT_MS),
  streamIdleTimeoutMs: positiveMs.default(OR_STREAM_IDLE_TIMEOUT_MS),
  adaptiveFirstToken: z
    .union([
      z.literal(false),
      z.strictObject({
        multiplier: z.number().min(1).default(OR_FIRST_TOKEN_ADAPTIVE_MULTIPLIER),
        floorMs: positiveMs.default(OR_FIRST_TOKEN_ADAPTIVE_FLOOR_MS),
      }),
    ])
    .default({ multiplier: OR_FIRST_TOKEN_ADAPTIVE_MULTIPLIER, floorMs: OR_FIRST_TOKEN_ADAPTIVE_FLOOR_MS }),
  dispatcher: z.custom<Dispatcher>((v) => typeof v === 'object' && v !== null).optional(),
  random: z.custom<() => number>((v) => typeof v === 'function').default(() => Math.random),
  sharedState: z
    .custom<RedisOpenRouterState>((v) => v instanceof RedisOpenRouterState, 'Expected a RedisOpenRouterState')
    .optional(),
  clock: z
    .custom<Clock>(isClock, 'Expected a Clock ({ now, setTimeout, clearTimeout })')
    .default(systemClock),
  maxEventBytes: z.number().int().positive().default(OR_MAX_EVENT_BYTES),
  maxBodyBytes: z.number().int().positive().default(OR_MAX_BODY_BYTES),
  logger: loggerOption,
});

/** Validated options with every default filled in. */
export type ResolvedOpenRouterOptions = z.output<typeof schema> & {
  /** Hedging: enabled flag and fixed delay (undefined → adaptive p95). */
  hedgeEnabled: boolean;
  hedgeDelayMs: number | undefined;
};

/** Validates the constructor options (throws `InvalidOptionsError` naming each bad value). */
export function resolveOptions(input: OpenRouterClientOptions): ResolvedOpenRouterOptions {
  const parsed = parseOptions(schema, input, 'OpenRouterClient options');
  const hedge = parsed.hedge;
  return {
    ...parsed,
    baseUrl: parsed.baseUrl.replace(/\/+$/, ''),
    hedgeEnabled: hedge !== false,
    hedgeDelayMs: typeof hedge === 'object' ? hedge.delayMs : undefined,
  };
}
