/** OpenRouter wire format as the fake writes it: completion bodies, SSE chunks, error bodies. */
import type { FakeBehaviour, FakeErrorObject, FakeRecordedRequest } from './fake-openrouter-behaviour.ts';

/** Reply text of a behaviour for a request (none by default when the answer is tool calls). */
export function replyText(behaviour: FakeBehaviour, request: FakeRecordedRequest): string {
  const reply = behaviour.reply;
  if (typeof reply === 'function') return reply(request);
  return reply ?? (behaviour.toolCalls ? '' : `Hello from ${request.model}`);
}

/** The finish reason of a successful answer. */
export function finishReasonOf(behaviour: FakeBehaviour): string {
  return behaviour.finishReason ?? (behaviour.toolCalls?.length ? 'tool_calls' : 'stop');
}

/** The tool calls of an answer in OpenAI's shape (`id`, `type: 'function'`, `function`). */
export function toolCallsOf(behaviour: FakeBehaviour): Array<Record<string, unknown>> | undefined {
  return behaviour.toolCalls?.map((call, index) => ({
    id: call.id ?? `call_fake_${index}`,
    type: 'function',
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
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
  const reasoning = behaviour.reasoning?.length ?? 0;
  const completion = completionTokens + reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    cost: (prompt + completion) * 1e-6,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning },
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
  const toolCalls = toolCallsOf(behaviour);
  const finishReason = finishReasonOf(behaviour);
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: toolCalls && text === '' ? null : text,
    refusal: null,
    reasoning: behaviour.reasoning?.length ? behaviour.reasoning.join('') : null,
  };
  if (toolCalls) message.tool_calls = toolCalls;
  return JSON.stringify({
    id: generationId(),
    provider: 'Fake',
    model: request.model,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    // OpenRouter sends it, as null, in a completion (and leaves it out of stream chunks).
    system_fingerprint: null,
    choices: [
      { index: 0, logprobs: null, finish_reason: finishReason, native_finish_reason: finishReason, message },
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

/** Two SSE chunks per tool call: its id and name, then its arguments (`delta.tool_calls`). */
export function sseToolCallChunks(id: string, model: string, behaviour: FakeBehaviour): string {
  return (toolCallsOf(behaviour) ?? [])
    .flatMap((call, index) => {
      const fn = call.function as { name: string; arguments: string };
      const named = { index, id: call.id, type: 'function', function: { name: fn.name, arguments: '' } };
      const args = { index, function: { arguments: fn.arguments } };
      return [named, args].map((toolCall) =>
        streamChunk(id, model, { delta: { role: 'assistant', tool_calls: [toolCall] }, finish_reason: null }),
      );
    })
    .join('');
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
