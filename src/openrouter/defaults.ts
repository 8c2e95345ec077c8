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
import type { OpenRouterClientOptions } from './options.ts';

/**
 * Every default of {@link OpenRouterClientOptions} that is a value (the real clock, `Math.random`
 * and the shared undici pool are the defaults of `clock`, `random` and `dispatcher`).
 */
export const DEFAULT_OPENROUTER_CLIENT_OPTIONS = Object.freeze({
  baseUrl: OR_BASE_URL,
  maxRetries: OR_MAX_RETRIES,
  connectTimeoutMs: OR_CONNECT_TIMEOUT_MS,
  readTimeoutMs: OR_READ_TIMEOUT_MS,
  totalTimeoutMs: OR_TOTAL_DEADLINE_MS,
  maxConnections: OR_POOL_MAX_CONNECTIONS,
  queueTimeoutMs: OR_QUEUE_TIMEOUT_MS,
  breaker: Object.freeze({
    failureThreshold: OR_BREAKER_FAILURE_THRESHOLD,
    cooldownMs: OR_BREAKER_COOLDOWN_MS,
  }),
  hedge: false,
  appName: OR_DEFAULT_APP_NAME,
  appUrl: OR_DEFAULT_APP_URL,
  streamFirstTokenTimeoutMs: OR_STREAM_FIRST_TOKEN_TIMEOUT_MS,
  streamIdleTimeoutMs: OR_STREAM_IDLE_TIMEOUT_MS,
  adaptiveFirstToken: Object.freeze({
    multiplier: OR_FIRST_TOKEN_ADAPTIVE_MULTIPLIER,
    floorMs: OR_FIRST_TOKEN_ADAPTIVE_FLOOR_MS,
  }),
  maxEventBytes: OR_MAX_EVENT_BYTES,
  maxBodyBytes: OR_MAX_BODY_BYTES,
} as const);
