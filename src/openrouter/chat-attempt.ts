/** One non-streamed attempt: POST, read the body (bounded by `maxBodyBytes`), validate it. */
import { ResponseTooLargeError } from './errors.ts';
import { parseCompletion } from './response.ts';
import { isOk, type Transport } from './transport.ts';
import type { ChatUsage } from './types.ts';

/** What one successful chat attempt returns. */
export interface ChatAttemptResult {
  text: string;
  usage: ChatUsage | undefined;
  finishReason: string | null;
  /** The client clock's `now()` when the response headers arrived. */
  headersAt: number;
}

/** Size limits of a response. */
export interface ResponseLimits {
  /** Largest SSE event of a stream, bytes. */
  maxEventBytes: number;
  /** Largest whole body (`chat()`, or a stream answered with JSON), bytes. */
  maxBodyBytes: number;
}

/** Runs one chat attempt on `model`. */
export async function chatAttempt(
  transport: Transport,
  body: string,
  model: string,
  signal: AbortSignal,
  limits: ResponseLimits,
): Promise<ChatAttemptResult> {
  if (transport.gate) await transport.gate(signal); // no extra await on the usual path
  const exchange = await transport.start(body, signal, model).response();
  if (!isOk(exchange.status)) throw transport.httpError(exchange, await exchange.errorText(), model);
  const text = await exchange.text(limits.maxBodyBytes, () => bodyTooLarge(limits, model));
  const parsed = parseCompletion(text, model, exchange.status);
  return {
    text: parsed.text,
    usage: parsed.usage,
    finishReason: parsed.finishReason,
    headersAt: exchange.headersAt,
  };
}

/** The error of a body past `maxBodyBytes`. */
export function bodyTooLarge(limits: ResponseLimits, model: string): ResponseTooLargeError {
  return new ResponseTooLargeError({ what: 'body', limitBytes: limits.maxBodyBytes, model });
}
