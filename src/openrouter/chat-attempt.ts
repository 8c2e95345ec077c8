/** One non-streamed attempt: POST, read the body, validate it. */
import { parseCompletion } from './response.ts';
import type { Transport } from './transport.ts';
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
  const response = await transport.send(body, signal, model);
  const headersAt = performance.now();
  let text: string;
  try {
    text = await response.body.text();
  } catch (error) {
    throw transport.typed(error, signal, model);
  }
  const parsed = parseCompletion(text, model, response.statusCode);
  return { text: parsed.text, usage: parsed.usage, finishReason: parsed.finishReason, headersAt };
}
