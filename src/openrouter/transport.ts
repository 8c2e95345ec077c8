/**
 * The HTTP layer: one undici `Pool` per origin (keep-alive, no pipelining), request headers built
 * once, undici failures mapped to typed errors, non-2xx answers turned into OpenRouterHttpError.
 */
import { type Dispatcher, Pool } from 'undici';
import { OR_KEEP_ALIVE_TIMEOUT_MS } from '../constants.ts';
import { AbortError, isChatlaneError } from '../errors.ts';
import { OpenRouterConnectionError, OpenRouterHttpError, TimeoutError } from './errors.ts';
import type { ResolvedOpenRouterOptions } from './options.ts';
import { errorObjectOf } from './response.ts';
import { parseRetryAfter } from './retry.ts';

/** A response whose status is 2xx. */
export type OkResponse = Dispatcher.ResponseData;

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

/** Sends chat completion requests to one origin. */
export class Transport {
  readonly #dispatcher: Dispatcher;
  readonly #owned: boolean;
  readonly #origin: string;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #readTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  /** Connections opened so far (counted on the owned pool's `connect` event). */
  connections = 0;

  constructor(options: ResolvedOpenRouterOptions) {
    const url = new URL(`${options.baseUrl}/chat/completions`);
    this.#origin = url.origin;
    this.#path = url.pathname + url.search;
    this.#readTimeoutMs = options.readTimeoutMs;
    this.#connectTimeoutMs = options.connectTimeoutMs;
    this.#headers = {
      authorization: `Bearer ${options.apiKey}`,
      'content-type': 'application/json',
      'http-referer': options.appUrl,
      'x-openrouter-title': options.appName,
      'x-title': options.appName,
    };
    this.#owned = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Pool(this.#origin, {
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

  /** POSTs `body`; resolves with a 2xx response, throws a typed error otherwise. */
  async send(body: string, signal: AbortSignal, model: string): Promise<OkResponse> {
    let response: OkResponse;
    try {
      response = await this.#dispatcher.request({
        origin: this.#origin,
        path: this.#path,
        method: 'POST',
        headers: this.#headers,
        body,
        signal,
        headersTimeout: this.#readTimeoutMs,
        bodyTimeout: this.#readTimeoutMs,
      });
    } catch (error) {
      throw this.typed(error, signal, model);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    throw await this.#httpError(response, signal, model);
  }

  /** Maps a failure while reading a response body. */
  typed(error: unknown, signal: AbortSignal, model: string): Error {
    return toTypedError(error, signal, model, this.#readTimeoutMs, this.#connectTimeoutMs);
  }

  async #httpError(response: OkResponse, signal: AbortSignal, model: string): Promise<Error> {
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      return this.typed(error, signal, model);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const error = errorObjectOf(parsed);
    const retryAfterMs = parseRetryAfter(response.headers);
    return new OpenRouterHttpError({
      status: response.statusCode,
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
