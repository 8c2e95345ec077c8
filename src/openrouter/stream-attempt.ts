/**
 * One streamed attempt: POST with `stream: true`, parse SSE, watch content cadence. It resolves
 * once the first content token (or the end) arrives, so everything before the first token — HTTP
 * errors, in-band errors, stalls — is retried and falls back like a chat attempt.
 *
 * A 2xx answer that is not an event stream — a `content-type` other than `text/event-stream` (a
 * JSON error object, a proxy's HTML page, an empty body), or a body starting with `{` whatever its
 * content type — is read whole and classified exactly as `chat()` classifies a body: an `error`
 * object is an {@link OpenRouterHttpError} of its code (a 401 ends the call), anything else not a
 * completion is an {@link InvalidResponseError}; a valid completion becomes one delta. An empty
 * event stream is an {@link InvalidResponseError} too.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { bodyTooLarge, type ResponseLimits } from './chat-attempt.ts';
import { InvalidResponseError, OpenRouterConnectionError } from './errors.ts';
import { parseChunk, parseCompletion } from './response.ts';
import { childController } from './scope.ts';
import { SseParser } from './sse.ts';
import type { Transport } from './transport.ts';
import type { ChatUsage } from './types.ts';
import { StreamWatchdog } from './watchdog.ts';

/** A parsed stream event. */
export type StreamEvent =
  | { kind: 'delta'; text: string }
  | { kind: 'done'; usage: ChatUsage | undefined; finishReason: string | null };

/** A stream whose first event has arrived. */
export interface OpenedStream {
  /** The first event (a content delta, or `done` for an empty answer). */
  first: StreamEvent;
  /** The client clock's `now()` when `first` arrived. */
  firstAt: number;
  /** The events after `first`. */
  rest: AsyncGenerator<StreamEvent, void>;
  /** Aborts the attempt (frees the connection) and stops its timers. */
  cancel(reason: Error): void;
  /** Stops timers after a normal end. */
  finish(): void;
}

/** Stream timeouts. */
export interface StreamTimeouts {
  firstTokenMs: number;
  idleMs: number;
}

/** What reading one attempt's body needs. */
interface ReadContext {
  transport: Transport;
  signal: AbortSignal;
  model: string;
  watchdog: StreamWatchdog;
  limits: ResponseLimits;
}

const OPEN_BRACE = 0x7b;
const BLANKS: ReadonlySet<number> = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** True when the headers name a content type other than an event stream (none: decided by the body). */
function declaresOtherThanSse(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (typeof type !== 'string' || type.trim() === '') return false;
  return !type.trim().toLowerCase().startsWith('text/event-stream');
}

/** Index of the first byte that is not a blank, or -1. */
function firstNonBlank(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i += 1) if (!BLANKS.has(bytes[i]!)) return i;
  return -1;
}

/** Reads a non-SSE 2xx body whole (bounded by `maxBodyBytes`) and classifies it like `chat()`. */
async function* readWhole(
  body: AsyncIterable<Buffer>,
  head: Buffer[],
  ctx: ReadContext,
): AsyncGenerator<StreamEvent, void> {
  const chunks = [...head];
  let bytes = head.reduce((sum, chunk) => sum + chunk.length, 0);
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > ctx.limits.maxBodyBytes) throw bodyTooLarge(ctx.limits, ctx.model);
    chunks.push(chunk);
  }
  const completion = parseCompletion(Buffer.concat(chunks, bytes).toString('utf8'), ctx.model, 200);
  if (completion.text.length > 0) {
    ctx.watchdog.content();
    yield { kind: 'delta', text: completion.text };
  }
  yield { kind: 'done', usage: completion.usage, finishReason: completion.finishReason };
}

async function* readEvents(body: AsyncIterable<Buffer>, ctx: ReadContext): AsyncGenerator<StreamEvent, void> {
  const { model, watchdog } = ctx;
  const parser = new SseParser({ maxEventBytes: ctx.limits.maxEventBytes, model });
  let usage: ChatUsage | undefined;
  let finishReason: string | null = null;
  let generated = false;
  /** The content of `text` as one delta (held: the consumer's time is not a stall). */
  const deliver = function* (text: string): Generator<StreamEvent, void> {
    if (generated) watchdog.content(); // once per network read: the same verdict, one clock read
    generated = false;
    if (text.length === 0) return;
    watchdog.hold();
    yield { kind: 'delta', text };
    watchdog.resume();
  };
  // The events of one network read are one delta: the same text, one hand-over instead of one per
  // token (each hand-over crosses every async-iterator layer up to the caller).
  const handle = function* (datas: string[]): Generator<StreamEvent, boolean> {
    let text = '';
    for (const data of datas) {
      if (data === '[DONE]') {
        yield* deliver(text);
        return true;
      }
      let chunk: ReturnType<typeof parseChunk>;
      try {
        chunk = parseChunk(data, model);
      } catch (error) {
        yield* deliver(text); // what came before an in-band error or a bad event is still the answer's
        throw error;
      }
      if (chunk.usage) usage = chunk.usage;
      if (chunk.finishReason !== null) finishReason = chunk.finishReason;
      // Reasoning / tool-call tokens count too: generating, not stalled.
      if (chunk.progress || chunk.content.length > 0) generated = true;
      text += chunk.content;
    }
    yield* deliver(text);
    return false;
  };
  let sawDone = false;
  let sniffing = true;
  try {
    for await (const bytes of body) {
      // After `[DONE]` the rest of the body (normally just its end) is drained, not abandoned, so
      // the connection goes back to the pool instead of being destroyed.
      if (sawDone) continue;
      const first = sniffing ? firstNonBlank(bytes) : -1;
      if (first !== -1) {
        sniffing = false;
        // No SSE line starts with `{`: this is a JSON body (an error object) sent as an event stream.
        if (bytes[first] === OPEN_BRACE) return yield* readWhole(body, [bytes], ctx);
      }
      if (yield* handle(parser.feed(bytes))) {
        sawDone = true;
        watchdog.stop();
      }
    }
  } catch (error) {
    if (!sawDone) throw ctx.transport.typed(error, ctx.signal, model);
  }
  if (sniffing) throw new InvalidResponseError(model, 'empty body', '');
  if (sawDone || (yield* handle(parser.end())) || finishReason !== null) {
    yield { kind: 'done', usage, finishReason };
    return;
  }
  throw new OpenRouterConnectionError(model, new Error('stream ended before [DONE]'));
}

/** The events of a 2xx answer: SSE (no extra generator layer on the hot path), or a whole body classified like `chat()`. */
function readAnswer(
  headers: IncomingHttpHeaders,
  body: AsyncIterable<Buffer>,
  ctx: ReadContext,
): AsyncGenerator<StreamEvent, void> {
  return declaresOtherThanSse(headers) ? readTypedWhole(body, ctx) : readEvents(body, ctx);
}

/** {@link readWhole} of a body declared as something other than SSE, its errors typed. */
async function* readTypedWhole(
  body: AsyncIterable<Buffer>,
  ctx: ReadContext,
): AsyncGenerator<StreamEvent, void> {
  try {
    yield* readWhole(body, [], ctx);
  } catch (error) {
    throw ctx.transport.typed(error, ctx.signal, ctx.model);
  }
}

/** Opens a stream on `model`; resolves at the first event. */
export async function openStream(
  transport: Transport,
  body: string,
  model: string,
  parent: AbortSignal,
  timeouts: StreamTimeouts,
  limits: ResponseLimits,
): Promise<OpenedStream> {
  const { controller, unlink } = childController(parent);
  const watchdog = new StreamWatchdog(
    controller,
    timeouts.firstTokenMs,
    timeouts.idleMs,
    model,
    transport.clock,
  );
  const finish = (): void => {
    watchdog.stop();
    unlink();
  };
  try {
    const exchange = await transport.open(body, controller.signal, model, () => watchdog.start());
    watchdog.start(); // a dispatcher that never reports the request start: the headers prove it
    const ctx: ReadContext = { transport, signal: controller.signal, model, watchdog, limits };
    const rest = readAnswer(exchange.headers, exchange.chunks(), ctx);
    const first = await rest.next();
    if (first.done) throw new OpenRouterConnectionError(model, new Error('stream ended without events'));
    return {
      first: first.value,
      firstAt: transport.clock.now(),
      rest,
      cancel: (reason) => {
        controller.abort(reason);
        finish();
      },
      finish,
    };
  } catch (error) {
    finish();
    throw error;
  }
}
