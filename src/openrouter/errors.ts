/**
 * Typed errors of the OpenRouter client. Each has a stable `code` and says whether it is
 * `retryable`; the client's retry, breaker and fallback rules read only those two fields.
 */
import {
  OR_CONFIGURATION_ERROR_STATUSES,
  OR_ERROR_BODY_MAX_CHARS,
  OR_NO_FALLBACK_STATUSES,
  OR_RETRYABLE_ERROR_CODES,
  OR_RETRYABLE_STATUSES,
  OR_UNKNOWN_ERROR_STATUS,
} from '../constants.ts';
import { ChatlaneError, type ChatlaneErrorOptions, isChatlaneError } from '../errors.ts';

/** The OpenRouter error object, as sent in an error body or in-band (HTTP 200 / mid-stream). */
export interface OpenRouterErrorObject {
  /** A number (usually an HTTP status) or a string such as `"server_error"`. */
  code: number | string;
  /** Human-readable message. */
  message: string;
  /** Provider details (`provider_name`, `raw`, …), when OpenRouter sends them. */
  metadata?: Record<string, unknown>;
}

/** Context of an {@link OpenRouterHttpError}. */
export interface OpenRouterHttpErrorInit {
  /** HTTP status of the response (200 for an in-band error object). */
  status: number;
  /** The error body as text (cut to a few KB). */
  body: string;
  /** Model the request was sent to. */
  model: string;
  /** The parsed OpenRouter error object, if the body carried one. */
  error?: OpenRouterErrorObject;
  /** Server-asked wait before a retry (`retry-after-ms` / `Retry-After`), in ms. */
  retryAfterMs?: number;
  /** True when the error arrived inside an SSE stream. */
  midStream?: boolean;
}

/** Effective status of a failure: the HTTP status, or the in-band code mapped to a status. */
export function effectiveStatus(status: number, error: OpenRouterErrorObject | undefined): number {
  if (status >= 400 || error === undefined) return status;
  if (typeof error.code === 'number') return error.code;
  // A known transient string code behaves like a 502; any other string code is not retried.
  return OR_RETRYABLE_ERROR_CODES.includes(error.code) ? OR_UNKNOWN_ERROR_STATUS : status;
}

/**
 * OpenRouter answered with an error: a non-2xx status, or HTTP 200 with an `error` object (in the
 * body or mid-stream). Retryable for 408/429/5xx and retryable in-band codes.
 */
export class OpenRouterHttpError extends ChatlaneError {
  declare readonly code: 'OPENROUTER_HTTP';
  /** HTTP status of the response (200 for an in-band error object). */
  readonly status: number;
  /** Status used for classification: `status`, or the in-band error code. */
  readonly effectiveStatus: number;
  /** Error body text (cut to {@link OR_ERROR_BODY_MAX_CHARS}). */
  readonly body: string;
  /** Model the request was sent to. */
  readonly model: string;
  /** The OpenRouter error object, if any. */
  readonly error: OpenRouterErrorObject | undefined;
  /** Server-asked wait before a retry, in ms. */
  readonly retryAfterMs: number | undefined;
  /** True when the error arrived inside an SSE stream. */
  readonly midStream: boolean;
  /**
   * True for 400/401/402/403 (a 403 unless it is a moderation refusal of the input, which another
   * model may accept): the whole call ends, no other model is tried.
   */
  readonly fatal: boolean;

  constructor(init: OpenRouterHttpErrorInit) {
    const eff = effectiveStatus(init.status, init.error);
    const message = init.error?.message ?? `HTTP ${init.status}`;
    super('OPENROUTER_HTTP', `OpenRouter ${init.model}: ${eff} ${message}`, {
      retryable: isRetryableFailure(eff, init.error),
    });
    this.status = init.status;
    this.effectiveStatus = eff;
    this.body =
      init.body.length > OR_ERROR_BODY_MAX_CHARS ? init.body.slice(0, OR_ERROR_BODY_MAX_CHARS) : init.body;
    this.model = init.model;
    this.error = init.error;
    this.retryAfterMs = init.retryAfterMs;
    this.midStream = init.midStream ?? false;
    this.fatal = OR_NO_FALLBACK_STATUSES.includes(eff) && !(eff === 403 && isModerationRefusal(init.error));
  }
}

function isRetryableFailure(status: number, error: OpenRouterErrorObject | undefined): boolean {
  if (OR_RETRYABLE_STATUSES.includes(status)) return true;
  return typeof error?.code === 'string' && OR_RETRYABLE_ERROR_CODES.includes(error.code);
}

/** Which timeout fired. */
export type TimeoutKind = 'connect' | 'read' | 'total' | 'first_token' | 'idle';

/**
 * A timeout fired. `connect`, `read`, `first_token` and `idle` are retryable (and fall back);
 * `total` (the call deadline) is not.
 */
export class TimeoutError extends ChatlaneError {
  declare readonly code: 'OPENROUTER_TIMEOUT';
  /** Which timeout fired. */
  readonly kind: TimeoutKind;
  /** The timeout value, in ms. */
  readonly timeoutMs: number;
  /** Model in flight, when known. */
  readonly model: string | undefined;

  constructor(kind: TimeoutKind, timeoutMs: number, model?: string, options: ChatlaneErrorOptions = {}) {
    super(
      'OPENROUTER_TIMEOUT',
      `OpenRouter ${kind} timeout after ${timeoutMs} ms${model ? ` (${model})` : ''}`,
      {
        cause: options.cause,
        retryable: kind !== 'total',
      },
    );
    this.kind = kind;
    this.timeoutMs = timeoutMs;
    this.model = model;
  }
}

/** The connection failed or was reset (ECONNRESET, refused, socket closed mid-response). Retryable. */
export class OpenRouterConnectionError extends ChatlaneError {
  declare readonly code: 'OPENROUTER_CONNECTION';
  /** Model the request was sent to. */
  readonly model: string;

  constructor(model: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('OPENROUTER_CONNECTION', `OpenRouter ${model}: connection failed: ${reason}`, {
      cause,
      retryable: true,
    });
    this.model = model;
  }
}

/** A model was skipped because its circuit breaker is open. */
export class CircuitOpenError extends ChatlaneError {
  declare readonly code: 'OPENROUTER_CIRCUIT_OPEN';
  /** The skipped model. */
  readonly model: string;

  constructor(model: string) {
    super('OPENROUTER_CIRCUIT_OPEN', `OpenRouter ${model}: circuit breaker open`, { retryable: true });
    this.model = model;
  }
}

/** The response body was not the expected shape (bad JSON, missing `choices`). Retryable. */
export class InvalidResponseError extends ChatlaneError {
  declare readonly code: 'OPENROUTER_INVALID_RESPONSE';
  /** Model the request was sent to. */
  readonly model: string;
  /** The offending body (cut to a few KB). */
  readonly body: string;

  constructor(model: string, reason: string, body: string, cause?: unknown) {
    super('OPENROUTER_INVALID_RESPONSE', `OpenRouter ${model}: invalid response: ${reason}`, {
      cause,
      retryable: true,
    });
    this.model = model;
    this.body = body.length > OR_ERROR_BODY_MAX_CHARS ? body.slice(0, OR_ERROR_BODY_MAX_CHARS) : body;
  }
}

/** Every model of the ladder failed (or was skipped). `errors` holds each model's last error. */
export class AllModelsFailedError extends ChatlaneError {
  declare readonly code: 'OPENROUTER_ALL_MODELS_FAILED';
  /** Last error per model, in ladder order. */
  readonly errors: Readonly<Record<string, Error>>;

  constructor(errors: Record<string, Error>) {
    const summary = Object.entries(errors)
      .map(([model, error]) => `${model}: ${error.message}`)
      .join('; ');
    super('OPENROUTER_ALL_MODELS_FAILED', `All models failed: ${summary}`, { retryable: true });
    this.errors = errors;
  }
}

/** What grew past its limit: one SSE event of a stream, or a whole `chat()` body. */
export type ResponseTooLargePart = 'event' | 'body';

/** Context of a {@link ResponseTooLargeError}. */
export interface ResponseTooLargeInit {
  /** What grew past its limit. */
  what: ResponseTooLargePart;
  /** The limit (`maxEventBytes` or `maxBodyBytes`), in bytes. */
  limitBytes: number;
  /** Model the request was sent to. */
  model: string;
}

/**
 * A response outgrew `maxEventBytes` (one SSE event) or `maxBodyBytes` (a `chat()` body); the
 * connection is dropped as soon as the limit is passed. Not retryable: the same request would
 * most likely get the same answer, and its size says nothing about the model's health (the
 * breaker does not count it). The call still falls back to the next model, which may answer
 * within the limit.
 */
export class ResponseTooLargeError extends ChatlaneError {
  declare readonly code: 'OPENROUTER_RESPONSE_TOO_LARGE';
  /** What grew past its limit. */
  readonly what: ResponseTooLargePart;
  /** The limit, in bytes. */
  readonly limitBytes: number;
  /** Model the request was sent to. */
  readonly model: string;

  constructor(init: ResponseTooLargeInit) {
    super(
      'OPENROUTER_RESPONSE_TOO_LARGE',
      `OpenRouter ${init.model}: response ${init.what} larger than ${init.limitBytes} bytes`,
      { retryable: false },
    );
    this.what = init.what;
    this.limitBytes = init.limitBytes;
    this.model = init.model;
  }
}

/**
 * Why a failure will not heal by itself: `auth` (401 bad key, 403 forbidden), `credits` (402),
 * `model` (404 unknown model).
 */
export type ConfigurationErrorReason = 'auth' | 'credits' | 'model';

/** True for a 403 that OpenRouter sends when a moderated model flags the input (not a key problem). */
function isModerationRefusal(error: OpenRouterErrorObject | undefined): boolean {
  const metadata = error?.metadata;
  return metadata !== undefined && ('flagged_input' in metadata || Array.isArray(metadata.reasons));
}

/**
 * The {@link ConfigurationErrorReason} of an error (an {@link OpenRouterHttpError} with status or
 * in-band code 401/402/403/404), or `undefined` for anything that may heal by itself. A 403 that
 * flags the user's input (moderation) is not a configuration error. Checks `code`, not
 * `instanceof`, so it also works across duplicate package copies.
 */
export function configurationErrorReason(error: unknown): ConfigurationErrorReason | undefined {
  if (!isChatlaneError(error) || error.code !== 'OPENROUTER_HTTP') return undefined;
  const fields = error as { effectiveStatus?: unknown; status?: unknown; error?: OpenRouterErrorObject };
  const status = fields.effectiveStatus ?? fields.status;
  if (typeof status !== 'number') return undefined;
  if (status === 403 && isModerationRefusal(fields.error)) return undefined;
  return OR_CONFIGURATION_ERROR_STATUSES[status];
}
