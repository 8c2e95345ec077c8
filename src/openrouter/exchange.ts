/**
 * One HTTP exchange on undici's low-level `dispatch()` API. Compared with `undici.request()` it
 * skips the per-request body `Readable` and the native abort-listener machinery (≈ 10 µs of CPU per
 * request), while keeping what the client needs: cancellation by `AbortSignal` (also for a request
 * still queued for a connection), buffered bodies for `chat()`, and a chunk iterator with
 * backpressure (`pause()`/`resume()`) for streams.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { OR_ERROR_BODY_READ_BYTES, OR_STREAM_HIGH_WATER_CHUNKS } from '../constants.ts';

/** A cap on the bytes of a body read whole: past it, fail with `error()`, or keep the head (`error` undefined). */
interface BodyLimit {
  maxBytes: number;
  error: (() => Error) | undefined;
}

/** A dispatched request and its response as it arrives. */
export class Exchange implements Dispatcher.DispatchHandler {
  /** HTTP status (0 until the headers arrive). */
  status = 0;
  /** Response headers (lower-case names). */
  headers: IncomingHttpHeaders = {};
  /** `now()` (the client's clock) when the headers arrived. */
  headersAt = 0;
  readonly #signal: AbortSignal;
  readonly #mapError: (error: unknown) => Error;
  readonly #onAbort = (): void => this.abort(this.#signal.reason as Error);
  #controller: Dispatcher.DispatchController | undefined;
  #chunks: Buffer[] = [];
  /** Bytes held in `#chunks` (reset when they are handed out). */
  #heldBytes = 0;
  #limit: BodyLimit | undefined;
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;
  /** Called once when undici starts writing the request on a connection (after any wait for one). */
  onWire: (() => void) | undefined;
  /** True once `text()` reads the whole body: no backpressure then (nothing else would resume). */
  #buffering = false;

  readonly #now: () => number;

  constructor(signal: AbortSignal, mapError: (error: unknown) => Error, now: () => number) {
    this.#now = now;
    this.#signal = signal;
    this.#mapError = mapError;
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Dispatches the request on `dispatcher`. */
  dispatch(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): this {
    if (this.#signal.aborted) {
      this.#fail(this.#signal.reason);
      return this;
    }
    try {
      dispatcher.dispatch(options, this);
    } catch (error) {
      this.#fail(error);
    }
    return this;
  }

  /** Aborts the exchange (frees the connection); pending reads reject with `reason`. */
  abort(reason: Error): void {
    if (this.#ended) return;
    if (this.#controller && !this.#controller.aborted) this.#controller.abort(reason);
    this.#fail(reason);
  }

  /** Resolves once the headers arrived (or the exchange failed). */
  async response(): Promise<this> {
    while (this.status === 0 && !this.#ended) await this.#next();
    if (this.status === 0) throw this.#error;
    return this;
  }

  /**
   * The whole body as text. More than `maxBytes` (announced by `content-length`, or as it arrives)
   * aborts the exchange at once and rejects with `tooLarge()`.
   */
  async text(maxBytes = Number.POSITIVE_INFINITY, tooLarge?: () => Error): Promise<string> {
    this.#limit = { maxBytes, error: tooLarge };
    return this.#readWhole();
  }

  /**
   * The first `maxBytes` of the body as text (an error body: its status classifies it, the rest
   * is not downloaded — the exchange is then dropped).
   */
  async errorText(maxBytes = OR_ERROR_BODY_READ_BYTES): Promise<string> {
    this.#limit = { maxBytes, error: undefined };
    return this.#readWhole();
  }

  async #readWhole(): Promise<string> {
    this.#buffering = true;
    const declared = Number(this.headers['content-length']);
    if (this.#limit?.error && declared > this.#limit.maxBytes) this.abort(this.#limit.error());
    this.#enforceLimit();
    if (this.#controller?.paused) this.#controller.resume();
    while (!this.#ended) await this.#next();
    if (this.#error) throw this.#error;
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#heldBytes = 0;
    if (chunks.length === 1) return chunks[0]!.toString('utf8');
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Past the body limit: fail, or keep the head and stop reading. */
  #enforceLimit(): void {
    const limit = this.#limit;
    if (limit === undefined || this.#heldBytes <= limit.maxBytes || this.#error) return;
    if (limit.error) {
      const error = limit.error();
      if (this.#ended)
        this.#error = error; // the whole body was already here
      else this.abort(error);
      return;
    }
    const head = Buffer.concat(this.#chunks, this.#heldBytes).subarray(0, limit.maxBytes);
    this.#chunks = [head];
    this.#heldBytes = head.length;
    if (!this.#ended) this.#stopReading();
  }

  /** Ends the exchange without an error, dropping the rest of the body (and the connection). */
  #stopReading(): void {
    this.#ended = true;
    this.#signal.removeEventListener('abort', this.#onAbort);
    if (this.#controller && !this.#controller.aborted) {
      this.#controller.abort(new Error('Response body not read past its limit'));
    }
    this.#notify();
  }

  /** Body chunks as they arrive; leaving the loop early aborts the exchange. */
  async *chunks(): AsyncGenerator<Buffer, void> {
    try {
      for (;;) {
        if (this.#chunks.length > 0) {
          const batch = this.#chunks;
          this.#chunks = [];
          this.#heldBytes = 0;
          if (this.#controller?.paused) this.#controller.resume();
          // What arrived while the consumer was busy is one chunk: one hand-over, not one per read.
          yield batch.length === 1 ? batch[0]! : Buffer.concat(batch);
          continue;
        }
        if (this.#error) throw this.#error;
        if (this.#ended) return;
        await this.#next();
      }
    } finally {
      if (!this.#ended) this.abort(new Error('Response body iteration stopped'));
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#ended) controller.abort(this.#error ?? new Error('Exchange already ended'));
    else this.onWire?.();
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.status = status;
    this.headers = headers;
    this.headersAt = this.#now();
    this.#notify();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#ended) return;
    this.#chunks.push(chunk);
    this.#heldBytes += chunk.length;
    if (this.#limit !== undefined) this.#enforceLimit();
    if (!this.#buffering && this.#chunks.length >= OR_STREAM_HIGH_WATER_CHUNKS) controller.pause();
    this.#notify();
  }

  onResponseEnd(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#notify();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#fail(error);
  }

  #fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = this.#mapError(error);
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#notify();
  }

  #next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
  }

  #notify(): void {
    const wake = this.#wake;
    if (wake) {
      this.#wake = undefined;
      wake();
    }
  }
}
