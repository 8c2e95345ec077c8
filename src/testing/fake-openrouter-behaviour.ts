/**
 * Behaviours of the fake OpenRouter server: what one request to one model gets back, and how the
 * scripted behaviours are picked (per-model queues, a default, a seeded failure ratio).
 */
import type { FakeRawAnswer } from './fake-openrouter-hostile.ts';
import { seededRandom } from './random.ts';

/** An OpenRouter error object as the fake sends it. */
export interface FakeErrorObject {
  /** Number (usually an HTTP status) or string (`"server_error"`). */
  code: number | string;
  /** @default 'Fake OpenRouter error' */
  message?: string;
  /** Provider details. */
  metadata?: Record<string, unknown>;
}

/** A tool call the fake model makes (`message.tool_calls`, or `delta.tool_calls` when streamed). */
export interface FakeToolCall {
  /** The function called. */
  name: string;
  /** Its arguments: a JSON text, or an object the fake serialises. */
  arguments: string | Record<string, unknown>;
  /** The call id. @default `call_fake_<n>` */
  id?: string;
}

/**
 * What the fake answers to one request. Every field is optional; the default is an immediate
 * HTTP 200 answer `Hello from <model>` (streamed word by word when the request has `stream: true`).
 */
export interface FakeBehaviour {
  /** Reply text, or a function of the received request. @default `Hello from ${model}` */
  reply?: string | ((request: FakeRecordedRequest) => string);
  /** Streamed tokens; default: `reply` split into words (spaces kept with the following word). */
  tokens?: string[];
  /**
   * Streams: reasoning tokens sent (as `delta.reasoning`, no content) before the first content
   * token, `tokenIntervalMs` apart — a thinking model. @default []
   */
  reasoning?: string[];
  /** Delay before the response headers, ms. @default 0 */
  latencyMs?: number;
  /**
   * Streams: delay between the headers and the first token, ms. A non-streamed answer is sent
   * after `ttftMs + tokenIntervalMs · (tokens − 1)`, when the whole generation would be done.
   * @default 0
   */
  ttftMs?: number;
  /** Streams: delay between two tokens, ms (see `ttftMs` for non-streamed answers). @default 0 */
  tokenIntervalMs?: number;
  /** HTTP status. With ≥ 400 the body is an error object (`error`, or one made from the status). @default 200 */
  status?: number;
  /** `Retry-After` header: seconds, or an HTTP date string. */
  retryAfter?: number | string;
  /** `retry-after-ms` header. */
  retryAfterMs?: number;
  /**
   * An error object. With `status` ≥ 400 it is the error body; with status 200 it is an in-band
   * error: the whole JSON body, or (streams) a chunk with `finish_reason: "error"` before any token.
   */
  error?: FakeErrorObject;
  /** Streams: an in-band error chunk (`error` + `finish_reason: "error"`) after this many tokens. */
  midStreamError?: { afterTokens: number } & Partial<FakeErrorObject>;
  /** Streams: `: OPENROUTER PROCESSING` comment lines sent before the first token. @default 0 */
  comments?: number;
  /** Streams: delay between those comment lines, ms. @default 0 */
  commentIntervalMs?: number;
  /** Malformed JSON: `true` → the body (or first chunk) is cut JSON; `{ afterTokens }` → that chunk. */
  malformed?: true | { afterTokens: number };
  /** Destroys the socket: `'before_headers'`, or after this many streamed tokens. */
  disconnect?: 'before_headers' | { afterTokens: number };
  /**
   * Stops answering and keeps the connection open: `'before_headers'`, or after this many tokens
   * (0 = right after the headers). `commentEveryMs` keeps sending keep-alive comments meanwhile.
   */
  stall?: 'before_headers' | { afterTokens: number; commentEveryMs?: number };
  /**
   * Tool calls of the answer, after its text (no text unless `reply` is given); the finish reason
   * becomes `tool_calls`. Streamed: one chunk naming each call, then one with its arguments.
   */
  toolCalls?: FakeToolCall[];
  /** Usage numbers overriding the computed ones (`prompt_tokens`, `completion_tokens`, `cost`, …). */
  usage?: Record<string, unknown>;
  /** Finish reason of a successful answer. @default 'stop' */
  finishReason?: string;
  /**
   * A verbatim answer, whatever the request asked for (after `latencyMs`): any status, content
   * type and body — a 200 whose body is a JSON error object, an HTML page, an empty body.
   */
  raw?: FakeRawAnswer;
  /** Streams: after `afterTokens` tokens (default 0), one `data:` line of `bytes` bytes. */
  oversizedEvent?: { bytes: number; afterTokens?: number };
  /** Fraction of requests in [0, 1] that get `failure` instead (seeded, reproducible). @default 0 */
  failureRatio?: number;
  /** Seed of the failure ratio's generator. @default 1 */
  seed?: number;
  /** What a failing request gets (merged over this behaviour). @default { status: 503 } */
  failure?: FakeBehaviour;
}

/** One request the fake received. */
export interface FakeRecordedRequest {
  /** `body.model`. */
  model: string;
  /** True when the body asked for `stream: true`. */
  stream: boolean;
  /** Request headers (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
}

const DEFAULT_FAILURE: FakeBehaviour = { status: 503 };

/**
 * The pacing fields of a behaviour: a scripted behaviour that leaves one of them out takes it
 * from the default behaviour, so scripting an outage or a reply keeps the model's timing.
 */
export const FAKE_PACING_KEYS = ['latencyMs', 'ttftMs', 'tokenIntervalMs', 'commentIntervalMs'] as const;

/** `scripted` with the default's pacing for every pacing field it leaves out. */
function withDefaultPacing(scripted: FakeBehaviour, fallback: FakeBehaviour): FakeBehaviour {
  const pacing: FakeBehaviour = {};
  for (const key of FAKE_PACING_KEYS) if (fallback[key] !== undefined) pacing[key] = fallback[key];
  return { ...pacing, ...scripted };
}

/** Per-model behaviour queues and the default, with a seeded generator per failure-ratio behaviour. */
export class BehaviourBook {
  readonly #scripts = new Map<string, FakeBehaviour[]>();
  readonly #generators = new WeakMap<FakeBehaviour, () => number>();
  #default: FakeBehaviour;

  constructor(initial: FakeBehaviour) {
    this.#default = initial;
  }

  /** Scripts `model`: one behaviour for every request, or a queue (one per request, the last one repeats). */
  script(model: string, behaviour: FakeBehaviour | FakeBehaviour[]): void {
    const queue = Array.isArray(behaviour) ? [...behaviour] : [behaviour];
    if (queue.length === 0) this.#scripts.delete(model);
    else this.#scripts.set(model, queue);
  }

  /** Sets the behaviour of models without a script. */
  setDefault(behaviour: FakeBehaviour): void {
    this.#default = behaviour;
  }

  /** Forgets every script. */
  clear(): void {
    this.#scripts.clear();
  }

  /** The behaviour for the next request to `model` (default pacing filled in, failure ratio applied). */
  next(model: string): FakeBehaviour {
    const queue = this.#scripts.get(model);
    const scripted = queue ? (queue.length > 1 ? queue.shift()! : queue[0]!) : this.#default;
    const picked = queue ? withDefaultPacing(scripted, this.#default) : scripted;
    const ratio = picked.failureRatio ?? 0;
    if (ratio <= 0) return picked;
    // One generator per behaviour the test wrote (not per merged copy), so the sequence is reproducible.
    let random = this.#generators.get(scripted);
    if (!random) {
      random = seededRandom(picked.seed ?? 1);
      this.#generators.set(scripted, random);
    }
    if (random() >= ratio) return picked;
    return { ...picked, failureRatio: 0, failure: undefined, ...(picked.failure ?? DEFAULT_FAILURE) };
  }
}
