/** One non-streamed attempt: POST, read the body, validate it. */
import { parseCompletion } from './response.ts';
import { isOk, type Transport } from './transport.ts';
import type { ChatUsage } from './types.ts';

/** What one successful chat attempt returns. */
export interface ChatAttemptResult {
  text: string;
  usage: ChatUsage | undefined;
  finishReason: string | null;
  /** `performance.now()` when the response headers arrived. */
  headersAt: number;
}

/** Runs one chat attempt on `model`. */
export async function chatAttempt(
  transport: Transport,
  body: string,
  model: string,
  signal: AbortSignal,
): Promise<ChatAttemptResult> {
  const exchange = transport.start(body, signal, model);
  const text = await exchange.text();
  if (!isOk(exchange.status)) throw transport.httpError(exchange, text, model);
  const parsed = parseCompletion(text, model, exchange.status);
  return {
    text: parsed.text,
    usage: parsed.usage,
    finishReason: parsed.finishReason,
    headersAt: exchange.headersAt,
  };
}
