/** OpenRouter wire format as the fake writes it: completion bodies, SSE chunks, error bodies. */
import type { FakeBehaviour, FakeErrorObject, FakeRecordedRequest } from './fake-openrouter-behaviour.ts';

/** Reply text of a behaviour for a request. */
export function replyText(behaviour: FakeBehaviour, request: FakeRecordedRequest): string {
  const reply = behaviour.reply;
  if (typeof reply === 'function') return reply(request);
  return reply ?? `Hello from ${request.model}`;
}

/** Streamed tokens: explicit ones, or the reply split into words (spaces kept with the next word). */
export function tokensOf(behaviour: FakeBehaviour, text: string): string[] {
  return behaviour.tokens ?? text.match(/\s*\S+/g) ?? [];
}

function promptTokens(request: FakeRecordedRequest): number {
  const messages = Array.isArray(request.body.messages) ? request.body.messages : [];
  let chars = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown }).content;
    if (typeof content === 'string') chars += content.length;
  }
  return Math.ceil(chars / 4) + messages.length * 4;
}

/** Usage object (with `cost`) for an answer of `completionTokens` tokens. */
export function usageOf(
  behaviour: FakeBehaviour,
  request: FakeRecordedRequest,
  completionTokens: number,
): Record<string, unknown> {
  const prompt = promptTokens(request);
  return {
    prompt_tokens: prompt,
    completion_tokens: completionTokens,
    total_tokens: prompt + completionTokens,
    cost: (prompt + completionTokens) * 1e-6,
    prompt_tokens_details: { cached_tokens: 0 },
    ...behaviour.usage,
  };
}

let counter = 0;

/** A generation id like OpenRouter's `gen-…`. */
export function generationId(): string {
  counter += 1;
  return `gen-fake-${counter}`;
}

/** A non-streamed completion body. */
export function completionBody(
  behaviour: FakeBehaviour,
  request: FakeRecordedRequest,
  text: string,
  tokens: number,
): string {
  return JSON.stringify({
    id: generationId(),
    provider: 'Fake',
    model: request.model,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    choices: [
      {
        index: 0,
        logprobs: null,
        finish_reason: behaviour.finishReason ?? 'stop',
        native_finish_reason: behaviour.finishReason ?? 'stop',
        message: { role: 'assistant', content: text, refusal: null, reasoning: null },
      },
    ],
    usage: usageOf(behaviour, request, tokens),
  });
}

/** An error object with defaults. */
export function errorObject(
  error: Partial<FakeErrorObject> | undefined,
  status: number,
): Record<string, unknown> {
  return {
    code: error?.code ?? status,
    message: error?.message ?? 'Fake OpenRouter error',
    ...(error?.metadata ? { metadata: error.metadata } : {}),
  };
}

/** A streamed `chat.completion.chunk` with one choice, plus `extra` top-level fields. */
function streamChunk(
  id: string,
  model: string,
  choice: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string {
  const chunk = {
    id,
    provider: 'Fake',
    model,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    choices: [{ index: 0, ...choice }],
    ...extra,
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** One SSE chunk carrying a reasoning token (`delta.reasoning`, empty content). */
export function sseReasoningChunk(id: string, model: string, reasoning: string): string {
  return streamChunk(id, model, {
    delta: { role: 'assistant', content: '', reasoning },
    finish_reason: null,
  });
}

/** One SSE `data:` event with a chunk object. */
export function sseChunk(
  id: string,
  model: string,
  delta: string,
  extra: Record<string, unknown> = {},
): string {
  return streamChunk(id, model, {
    delta: { role: 'assistant', content: delta },
    finish_reason: null,
    ...extra,
  });
}

/** The in-band error chunk OpenRouter sends when a stream fails. */
export function sseErrorChunk(
  id: string,
  model: string,
  error: Partial<FakeErrorObject> | undefined,
): string {
  return streamChunk(
    id,
    model,
    { delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' },
    { error: errorObject(error, 502) },
  );
}

/** The last chunk: finish reason and usage. */
export function sseFinalChunk(
  id: string,
  model: string,
  finishReason: string,
  usage: Record<string, unknown>,
): string {
  return streamChunk(
    id,
    model,
    { delta: { role: 'assistant', content: '' }, finish_reason: finishReason },
    { usage },
  );
}

/** OpenRouter's keep-alive comment line. */
export const SSE_KEEP_ALIVE = ': OPENROUTER PROCESSING\n\n';
/** End of stream. */
export const SSE_DONE = 'data: [DONE]\n\n';
/** A deliberately cut JSON text. */
export const MALFORMED_JSON = '{"id":"gen-broken","choices":[{"message":{"content":"cut';
