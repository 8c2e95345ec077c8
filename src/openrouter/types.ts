import type { CallContext } from './events.ts';
/** Request, result and stream item types of the OpenRouter client (OpenAI-compatible wire format). */

/** One part of a multi-part message content (text or image). */
export interface ChatContentPart {
  /** `text`, `image_url`, … */
  type: string;
  /** Text of a `text` part. */
  text?: string;
  /** Image of an `image_url` part. */
  image_url?: { url: string; detail?: string };
}

/** One chat message. */
export interface ChatMessage {
  /** Author role. */
  role: 'system' | 'user' | 'assistant' | 'tool' | 'developer';
  /** Text, or content parts. */
  content: string | ChatContentPart[] | null;
  /** Optional author name. */
  name?: string;
  /** Tool call id (role `tool`). */
  tool_call_id?: string;
}

/**
 * A chat completion request. Any other OpenRouter/OpenAI field (`tools`, `reasoning`,
 * `transforms`, …) is passed through unchanged.
 */
export interface ChatRequest {
  /** The conversation. */
  messages: ChatMessage[];
  /** Model to try first; the client's default ladder follows (without duplicates). */
  model?: string;
  /** A full ladder for this request, replacing the client's `models`. */
  models?: string[];
  /** Sampling temperature. */
  temperature?: number;
  /** Maximum tokens to generate. */
  max_tokens?: number;
  /** Nucleus sampling. */
  top_p?: number;
  /** Stop sequences. */
  stop?: string | string[];
  /** Seed for deterministic sampling where supported. */
  seed?: number;
  /** Frequency penalty. */
  frequency_penalty?: number;
  /** Presence penalty. */
  presence_penalty?: number;
  /** OpenRouter provider routing preferences, passed through. */
  provider?: Record<string, unknown>;
  /** End-user id, passed through. */
  user?: string;
  /** Any other field is passed through. */
  [field: string]: unknown;
}

/** Token usage (and cost) as reported by OpenRouter. */
export interface ChatUsage {
  /** Prompt tokens. */
  promptTokens: number;
  /** Completion tokens. */
  completionTokens: number;
  /** Total tokens. */
  totalTokens: number;
  /** Cost in credits, when OpenRouter reports it. */
  cost?: number;
  /** Prompt tokens served from the provider cache, when reported. */
  cachedTokens?: number;
}

/** Result of {@link OpenRouterClient.chat}. */
export interface ChatResult {
  /** The assistant's text. */
  text: string;
  /** Model that answered (the ladder entry). */
  model: string;
  /** Usage, when reported. */
  usage: ChatUsage | undefined;
  /** Attempts made in total (all models, retries and hedges included). */
  attempts: number;
  /** Wall time of the whole call, ms. */
  latencyMs: number;
  /** Time to the response headers of the winning attempt, ms. */
  ttftMs?: number;
  /** `stop`, `length`, `tool_calls`, … as reported. */
  finishReason: string | null;
}

/** A content delta of a stream. */
export interface OpenRouterStreamDelta {
  /** Discriminator. */
  type: 'delta';
  /** New text. */
  delta: string;
  /** Model producing it. */
  model: string;
}

/** The stream restarted on another model after a mid-stream failure: discard the text so far. */
export interface OpenRouterStreamReset {
  /** Discriminator. */
  type: 'reset';
  /** Model the stream restarts on. */
  model: string;
  /** The failure that caused the restart. */
  reason: Error;
}

/** Final item of a stream. */
export interface OpenRouterStreamDone {
  /** Discriminator. */
  type: 'done';
  /** Model that answered. */
  model: string;
  /** Usage from the last SSE chunk, when reported. */
  usage: ChatUsage | undefined;
  /** `stop`, `length`, … as reported. */
  finishReason: string | null;
  /** Attempts made in total. */
  attempts: number;
  /** Wall time of the whole call, ms. */
  latencyMs: number;
  /** Time from the call's start to the first content token, ms. */
  ttftMs: number | undefined;
}

/** One item of {@link OpenRouterClient.stream}. */
export type OpenRouterStreamItem = OpenRouterStreamDelta | OpenRouterStreamReset | OpenRouterStreamDone;

/** Per-call options of `chat()`. */
export interface ChatCallOptions {
  /** Cancels the call and everything in flight for it. */
  signal?: AbortSignal;
  /**
   * Echoed as `context` on this call's `retry`, `fallback`, `hedge` and `reset` events, so a log
   * line about them can name the request (e.g. `{ corr_id, msg_id }`).
   */
  context?: CallContext;
}

/** Per-call options of `stream()`. */
export interface StreamCallOptions extends ChatCallOptions {
  /**
   * What a failure after the first token does: `'reset'` restarts on the next model and yields a
   * `reset` item; `'error'` throws after the text already yielded.
   * @default 'reset'
   */
  recovery?: 'reset' | 'error';
}
