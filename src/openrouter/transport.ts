/**
 * The HTTP layer: one undici `Pool` per origin (keep-alive, no pipelining), request headers built
 * once, undici failures mapped to typed errors, non-2xx answers turned into OpenRouterHttpError.
 *
 * A request first waits for a pooled connection (undici queues it while every connection is
 * busy); undici reports the end of that wait with `onRequestStart`, right before it writes the
 * request on a connection. That wait is bounded by `queueTimeoutMs` (→ {@link QueueTimeoutError})
 * and reported to the caller (`onWire`), so timeouts about the model start only once the request
 * is on the wire.
 */
import type { Dispatcher } from 'undici';
import { OR_KEEP_ALIVE_TIMEOUT_MS } from '../constants.ts';
import { AbortError, isChatlaneError } from '../errors.ts';
import type { Clock } from '../internal/clock.ts';
import { undici } from '../internal/undici.ts';
import { OpenRouterConnectionError, OpenRouterHttpError, TimeoutError } from './errors.ts';
import { Exchange } from './exchange.ts';
import type { ResolvedOpenRouterOptions } from './options.ts';
import { QueueTimeoutError } from './queue-timeout-error.ts';
import { errorObjectOf } from './response.ts';
import { parseRetryAfter } from './retry.ts';

/** Maps any failure of a request to a typed error (the attempt's abort reason wins). */
export function toTypedError(
  error: unknown,
  signal: AbortSignal,
  model: string,
  readTimeoutMs: number,
  connectTimeoutMs: number,
): Error {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    return isChatlaneError(reason) ? reason : new AbortError('The request was aborted', { cause: reason });
  }
  if (isChatlaneError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new TimeoutError('connect', connectTimeoutMs, model, { cause: error });
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError('read', readTimeoutMs, model, { cause: error });
  }
  return new OpenRouterConnectionError(model, error);
}

/** True for a 2xx status. */
export function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Sends chat completion requests to one origin. */
export class Transport {
  readonly #dispatcher: Dispatcher;
  readonly #owned: boolean;
  readonly #options: Dispatcher.DispatchOptions;
  readonly #readTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #queueTimeoutMs: number;
  /** The client's clock (pool wait, header time, stream watchdogs). */
  readonly clock: Clock;
  /** Connections opened so far (counted on the dispatcher's `connect` event). */
  connections = 0;
  /** Waited before every request (the shared request bucket of `sharedState`); none by default. */
  gate: ((signal: AbortSignal) => Promise<void>) | undefined;

  constructor(options: ResolvedOpenRouterOptions) {
    const url = new URL(`${options.baseUrl}/chat/completions`);
    this.#readTimeoutMs = options.readTimeoutMs;
    this.#connectTimeoutMs = options.connectTimeoutMs;
    this.#queueTimeoutMs = options.queueTimeoutMs;
    this.clock = options.clock;
    this.#options = {
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        'content-type': 'application/json',
        'http-referer': options.appUrl,
        'x-openrouter-title': options.appName,
        'x-title': options.appName,
      },
      headersTimeout: options.readTimeoutMs,
      bodyTimeout: options.readTimeoutMs,
    };
    this.#owned = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new (undici().Pool)(url.origin, {
        connections: options.maxConnections,
        pipelining: 1,
        keepAliveTimeout: OR_KEEP_ALIVE_TIMEOUT_MS,
        connectTimeout: options.connectTimeoutMs,
        headersTimeout: options.readTimeoutMs,
        bodyTimeout: options.readTimeoutMs,
      });
    this.#dispatcher.on('connect', () => {
      this.connections += 1;
    });
  }

  /**
   * Dispatches a POST of `body`; read the answer from the returned exchange. `onWire` is called
   * when the request leaves the wait for a pooled connection and is written; a wait longer than
   * `queueTimeoutMs` fails the exchange with {@link QueueTimeoutError}.
   */
  start(body: string, signal: AbortSignal, model: string, onWire?: () => void): Exchange {
    // Ref'd: the caller waits for this request. Armed before dispatch (which may start the request
    // at once) and cleared when the request is written or the exchange fails first.
    const { clock } = this;
    const waiting = clock.setTimeout(() => {
      exchange.abort(new QueueTimeoutError(this.#queueTimeoutMs, model));
    }, this.#queueTimeoutMs);
    const exchange = new Exchange(
      signal,
      (error) => {
        clock.clearTimeout(waiting);
        return this.typed(error, signal, model);
      },
      () => clock.now(),
    );
    exchange.onWire = () => {
      clock.clearTimeout(waiting);
      onWire?.();
    };
    return exchange.dispatch(this.#dispatcher, { ...this.#options, body });
  }

  /** POSTs `body` and waits for the headers; a non-2xx answer throws a typed error. */
  async open(body: string, signal: AbortSignal, model: string, onWire?: () => void): Promise<Exchange> {
    if (this.gate) await this.gate(signal);
    const exchange = await this.start(body, signal, model, onWire).response();
    if (isOk(exchange.status)) return exchange;
    throw this.httpError(exchange, await exchange.errorText(), model);
  }

  /** Maps a failure while reading a response body. */
  typed(error: unknown, signal: AbortSignal, model: string): Error {
    return toTypedError(error, signal, model, this.#readTimeoutMs, this.#connectTimeoutMs);
  }

  /** The typed error of a non-2xx answer with body `text`. */
  httpError(exchange: Exchange, text: string, model: string): OpenRouterHttpError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const error = errorObjectOf(parsed);
    const retryAfterMs = parseRetryAfter(exchange.headers);
    return new OpenRouterHttpError({
      status: exchange.status,
      body: text,
      model,
      ...(error ? { error } : {}),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  /** Closes the pool (in-flight requests finish first) unless the dispatcher was given by the user. */
  async close(): Promise<void> {
    if (this.#owned) await this.#dispatcher.close();
  }
}
