/**
 * One streamed attempt: POST with `stream: true`, parse SSE, watch content cadence. It resolves
 * once the first content token (or the end) arrives, so everything before the first token — HTTP
 * errors, in-band errors, stalls — is retried and falls back like a chat attempt.
 */
import { OpenRouterConnectionError } from './errors.ts';
import { parseChunk } from './response.ts';
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
  /** `performance.now()` when `first` arrived. */
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

async function* readEvents(
  body: AsyncIterable<Uint8Array>,
  transport: Transport,
  signal: AbortSignal,
  model: string,
  watchdog: StreamWatchdog,
): AsyncGenerator<StreamEvent, void> {
  const parser = new SseParser();
  let usage: ChatUsage | undefined;
  let finishReason: string | null = null;
  const handle = function* (datas: string[]): Generator<StreamEvent, boolean> {
    for (const data of datas) {
      if (data === '[DONE]') return true;
      const chunk = parseChunk(data, model);
      if (chunk.usage) usage = chunk.usage;
      if (chunk.finishReason !== null) finishReason = chunk.finishReason;
      if (chunk.progress) watchdog.content(); // reasoning / tool-call tokens: generating, not stalled
      if (chunk.content.length > 0) {
        watchdog.content();
        watchdog.hold();
        yield { kind: 'delta', text: chunk.content };
        watchdog.resume();
      }
    }
    return false;
  };
  let sawDone = false;
  try {
    for await (const bytes of body) {
      // After `[DONE]` the rest of the body (normally just its end) is drained, not abandoned, so
      // the connection goes back to the pool instead of being destroyed.
      if (sawDone) continue;
      if (yield* handle(parser.feed(bytes))) {
        sawDone = true;
        watchdog.stop();
      }
    }
  } catch (error) {
    if (!sawDone) throw transport.typed(error, signal, model);
  }
  if (sawDone || (yield* handle(parser.end())) || finishReason !== null) {
    yield { kind: 'done', usage, finishReason };
    return;
  }
  throw new OpenRouterConnectionError(model, new Error('stream ended before [DONE]'));
}

/** Opens a stream on `model`; resolves at the first event. */
export async function openStream(
  transport: Transport,
  body: string,
  model: string,
  parent: AbortSignal,
  timeouts: StreamTimeouts,
): Promise<OpenedStream> {
  const { controller, unlink } = childController(parent);
  const watchdog = new StreamWatchdog(controller, timeouts.firstTokenMs, timeouts.idleMs, model);
  const finish = (): void => {
    watchdog.stop();
    unlink();
  };
  try {
    const exchange = await transport.open(body, controller.signal, model, () => watchdog.start());
    watchdog.start(); // a dispatcher that never reports the request start: the headers prove it
    const rest = readEvents(exchange.chunks(), transport, controller.signal, model, watchdog);
    const first = await rest.next();
    if (first.done) throw new OpenRouterConnectionError(model, new Error('stream ended without events'));
    return {
      first: first.value,
      firstAt: performance.now(),
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
