/**
 * Cheap structural checks of OpenRouter responses (no schema library on the hot path: a few
 * `typeof` checks cost ~nothing, and anything off-shape becomes an {@link InvalidResponseError}).
 */
import { InvalidResponseError, type OpenRouterErrorObject, OpenRouterHttpError } from './errors.ts';
import type { ChatUsage } from './types.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `error` object of a body, if it has a valid one. */
export function errorObjectOf(value: unknown): OpenRouterErrorObject | undefined {
  if (!isObject(value) || !isObject(value.error)) return undefined;
  const { code, message, metadata } = value.error;
  if (typeof code !== 'number' && typeof code !== 'string') return undefined;
  return {
    code,
    message: typeof message === 'string' ? message : String(code),
    ...(isObject(metadata) ? { metadata } : {}),
  };
}

/** Parses JSON text or throws {@link InvalidResponseError}. */
export function parseJson(text: string, model: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidResponseError(model, 'body is not JSON', text, error);
  }
}

/** OpenRouter usage → {@link ChatUsage}; `undefined` when absent or off-shape. */
export function toUsage(raw: unknown): ChatUsage | undefined {
  if (!isObject(raw) || typeof raw.prompt_tokens !== 'number' || typeof raw.completion_tokens !== 'number') {
    return undefined;
  }
  const usage: ChatUsage = {
    promptTokens: raw.prompt_tokens,
    completionTokens: raw.completion_tokens,
    totalTokens:
      typeof raw.total_tokens === 'number' ? raw.total_tokens : raw.prompt_tokens + raw.completion_tokens,
  };
  if (typeof raw.cost === 'number') usage.cost = raw.cost;
  const details = raw.prompt_tokens_details;
  if (isObject(details) && typeof details.cached_tokens === 'number')
    usage.cachedTokens = details.cached_tokens;
  return usage;
}

/** The parts of a non-streamed completion the client uses. */
export interface ParsedCompletion {
  text: string;
  finishReason: string | null;
  usage: ChatUsage | undefined;
}

/** Validates a `/chat/completions` body; an in-band `error` object throws {@link OpenRouterHttpError}. */
export function parseCompletion(text: string, model: string, status: number): ParsedCompletion {
  const body = parseJson(text, model);
  const error = errorObjectOf(body);
  if (error) throw new OpenRouterHttpError({ status, body: text, model, error });
  if (!isObject(body) || !Array.isArray(body.choices)) {
    throw new InvalidResponseError(model, 'missing `choices`', text);
  }
  const choice: unknown = body.choices[0];
  if (!isObject(choice) || !isObject(choice.message)) {
    throw new InvalidResponseError(model, 'missing `choices[0].message`', text);
  }
  const content = choice.message.content;
  if (content !== null && content !== undefined && typeof content !== 'string') {
    throw new InvalidResponseError(model, '`choices[0].message.content` is not a string', text);
  }
  const finish = choice.finish_reason;
  if (finish === 'error') {
    throw new OpenRouterHttpError({
      status,
      body: text,
      model,
      error: errorObjectOf(choice) ?? { code: 'server_error', message: 'finish_reason "error"' },
    });
  }
  return {
    text: content ?? '',
    finishReason: typeof finish === 'string' ? finish : null,
    usage: toUsage(body.usage),
  };
}

/** One parsed SSE chunk. */
export interface ParsedChunk {
  content: string;
  /** True when the chunk carries generated tokens other than content (reasoning, tool calls). */
  progress: boolean;
  finishReason: string | null;
  usage: ChatUsage | undefined;
}

/** True when a stream delta carries reasoning text or tool-call fragments. */
function generatesTokens(delta: Json): boolean {
  const { reasoning, tool_calls: toolCalls } = delta;
  return (
    (typeof reasoning === 'string' && reasoning.length > 0) ||
    (Array.isArray(toolCalls) && toolCalls.length > 0)
  );
}

/** Validates one SSE `data` JSON chunk; an `error` (or `finish_reason: "error"`) throws mid-stream. */
export function parseChunk(data: string, model: string): ParsedChunk {
  const chunk = parseJson(data, model);
  if (!isObject(chunk)) throw new InvalidResponseError(model, 'SSE chunk is not an object', data);
  const error = errorObjectOf(chunk);
  const choice: unknown = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
  const finish = isObject(choice) && typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
  if (error || finish === 'error') {
    throw new OpenRouterHttpError({
      status: 200,
      body: data,
      model,
      error: error ?? { code: 'server_error', message: 'finish_reason "error"' },
      midStream: true,
    });
  }
  const delta = isObject(choice) && isObject(choice.delta) ? choice.delta : undefined;
  const content = delta?.content;
  return {
    content: typeof content === 'string' ? content : '',
    progress: delta !== undefined && generatesTokens(delta),
    finishReason: finish,
    usage: toUsage(chunk.usage),
  };
}
