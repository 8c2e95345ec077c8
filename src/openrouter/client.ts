/**
 * OpenRouterClient: a pooled, resilient, streaming client for OpenRouter's OpenAI-compatible
 * `/chat/completions` API — retries with backoff, a circuit breaker and a fallback ladder per
 * call, optional hedging, a content-aware stream watchdog and mid-stream recovery.
 */
import { OR_HEDGE_DEFAULT_DELAY_MS } from '../constants.ts';
import { AbortError, ClosedError } from '../errors.ts';
import { EventHub } from '../internal/events.ts';
import { BreakerTable } from './breakers.ts';
import { chatAttempt, type ResponseLimits } from './chat-attempt.ts';
import { configurationErrorReason } from './errors.ts';
import { type CallContext, OPENROUTER_LOG_TABLE, type OpenRouterEvents, withContext } from './events.ts';
import { runHedged } from './hedge.ts';
import {
  type Attempt,
  type AttemptCounter,
  type LadderEnv,
  type LadderResult,
  recordFailure,
  runLadder,
} from './ladder.ts';
import { type OpenRouterClientOptions, type ResolvedOpenRouterOptions, resolveOptions } from './options.ts';
import { ladderOf, serializeBody, validateRequest } from './request.ts';
import { CallScope } from './scope.ts';
import { type OpenRouterStats, StatsRecorder } from './stats.ts';
import { type MidStreamFailure, runStream } from './stream.ts';
import { type OpenedStream, openStream } from './stream-attempt.ts';
import { Transport } from './transport.ts';
import type {
  ChatCallOptions,
  ChatRequest,
  ChatResult,
  OpenRouterStreamItem,
  StreamCallOptions,
} from './types.ts';

const discardStream = (opened: OpenedStream): void => {
  opened.cancel(new AbortError('Hedged stream lost the race'));
};

/** A pooled, resilient OpenRouter client. One instance per app; `close()` when done. */
export class OpenRouterClient {
  readonly #options: ResolvedOpenRouterOptions;
  readonly #transport: Transport;
  readonly #events: EventHub<OpenRouterEvents>;
  readonly #stats = new StatsRecorder();
  readonly #breakers: BreakerTable;
  readonly #env: LadderEnv;
  readonly #limits: ResponseLimits;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: OpenRouterClientOptions) {
    this.#options = resolveOptions(options);
    this.#events = new EventHub({ logger: this.#options.logger, table: OPENROUTER_LOG_TABLE });
    this.#transport = new Transport(this.#options);
    this.#limits = { maxEventBytes: this.#options.maxEventBytes, maxBodyBytes: this.#options.maxBodyBytes };
    const { breaker, models, apiKey, sharedState } = this.#options;
    this.#breakers = new BreakerTable({
      ...breaker,
      events: this.#events,
      stats: this.#stats,
      apiKey,
      models,
      sharedState,
    });
    this.#transport.gate = this.#breakers.requestGate;
    this.#env = {
      breaker: (model) => this.#breakers.get(model),
      events: this.#events,
      stats: this.#stats,
      maxRetries: this.#options.maxRetries,
      random: this.#options.random,
      hedgeBudget: this.#breakers.hedgeBudget,
    };
  }

  /** The default fallback ladder. */
  get models(): readonly string[] {
    return this.#options.models;
  }

  /** Subscribes to a lifecycle event; returns the unsubscribe function. */
  on<K extends keyof OpenRouterEvents>(
    event: K,
    listener: (payload: OpenRouterEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /** One non-streamed completion through the ladder. */
  async chat(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResult> {
    this.#assertOpen();
    validateRequest(request);
    const models = ladderOf(request, this.#options.models);
    const scope = new CallScope(this.#options.totalTimeoutMs, options.signal, this.#options.clock);
    const counter: AttemptCounter = { attempts: 0 };
    this.#stats.requests += 1;
    const env = this.#callEnv(options.context);
    const attempt: Attempt<Awaited<ReturnType<typeof chatAttempt>>> = this.#watched(env, (model, signal) =>
      chatAttempt(this.#transport, serializeBody(request, model, false), model, signal, this.#limits),
    );
    try {
      const { value, model } = await this.#run(env, models, attempt, scope, counter, 'latency');
      const latencyMs = scope.clock.now() - scope.startedAt;
      const ttftMs = value.headersAt - scope.startedAt;
      this.#stats.success(model, latencyMs, ttftMs);
      return {
        text: value.text,
        model,
        usage: value.usage,
        attempts: counter.attempts,
        latencyMs,
        ttftMs,
        finishReason: value.finishReason,
      };
    } catch (error) {
      this.#stats.callFailed(error);
      throw error;
    } finally {
      scope.dispose();
    }
  }

  /**
   * A streamed completion: `delta` items, possibly a `reset` (recovery after a mid-stream failure:
   * discard the text so far), then one `done` item. Breaking out of the loop aborts the request.
   */
  stream(request: ChatRequest, options: StreamCallOptions = {}): AsyncIterable<OpenRouterStreamItem> {
    this.#assertOpen();
    validateRequest(request);
    const models = ladderOf(request, this.#options.models);
    const recovery = options.recovery ?? 'reset';
    const self = this;
    return {
      [Symbol.asyncIterator]() {
        return self.#streamCall(models, request, options, recovery);
      },
    };
  }

  /** A snapshot of counters, breaker states and latency percentiles. */
  getStats(): OpenRouterStats {
    return this.#stats.snapshot(this.#transport.connections, (model) => {
      const breaker = this.#breakers.peek(model);
      return {
        state: breaker?.state ?? 'closed',
        failures: breaker?.failures ?? 0,
        lateVerdicts: breaker?.lateVerdicts ?? 0,
      };
    });
  }

  /** Stops accepting calls, lets in-flight requests finish, closes the pool and the breakers' timers. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /** `await using client = new OpenRouterClient(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    try {
      await this.#transport.close();
    } finally {
      this.#breakers.shutdown();
      this.#events.clear();
    }
  }

  async *#streamCall(
    models: readonly string[],
    request: ChatRequest,
    options: StreamCallOptions,
    recovery: 'reset' | 'error',
  ): AsyncGenerator<OpenRouterStreamItem, void> {
    this.#assertOpen();
    const scope = new CallScope(this.#options.totalTimeoutMs, options.signal, this.#options.clock);
    const env = this.#callEnv(options.context);
    this.#stats.requests += 1;
    const idleMs = this.#options.streamIdleTimeoutMs;
    const attempt: Attempt<OpenedStream> = this.#watched(env, (model, attemptSignal) =>
      openStream(
        this.#transport,
        serializeBody(request, model, true),
        model,
        attemptSignal,
        { firstTokenMs: this.#firstTokenMs(model), idleMs },
        this.#limits,
      ),
    );
    try {
      yield* runStream(
        {
          open: (ladder, callScope, counter) =>
            this.#run(env, ladder, attempt, callScope, counter, 'ttft', discardStream),
          midStreamFailure: (failure) => this.#midStreamFailure(env, failure),
          maxRetries: this.#options.maxRetries,
          restarted: (from, model, error) => {
            this.#stats.resets += 1;
            env.events.emit('reset', { model, from, error });
          },
          success: (model, latencyMs, ttftMs) => this.#stats.success(model, latencyMs, ttftMs),
        },
        models,
        scope,
        recovery,
      );
    } catch (error) {
      this.#stats.callFailed(error);
      throw error;
    }
  }

  /** The ladder environment of one call: the client's, with events carrying the call's context. */
  #callEnv(context: CallContext | undefined): LadderEnv {
    return context === undefined ? this.#env : { ...this.#env, events: withContext(this.#events, context) };
  }

  #run<T>(
    env: LadderEnv,
    models: readonly string[],
    attempt: Attempt<T>,
    scope: CallScope,
    counter: AttemptCounter,
    raceEndsAt: 'latency' | 'ttft',
    discard?: (value: T) => void,
  ): Promise<LadderResult<T>> {
    if (!this.#options.hedgeEnabled || models.length < 2) {
      return runLadder(env, models, attempt, scope, scope.signal, counter);
    }
    const delayMs = this.#hedgeDelay(models[0]!, raceEndsAt);
    return runHedged(env, models, attempt, scope, counter, delayMs, discard);
  }

  /** The first-token deadline of `model`: adapted to its observed p95 time to first token, or fixed. */
  #firstTokenMs(model: string): number {
    const { adaptiveFirstToken: adaptive, streamFirstTokenTimeoutMs: ceiling } = this.#options;
    const p95 = adaptive === false ? undefined : this.#stats.model(model).observedP95('ttft');
    if (adaptive === false || p95 === undefined) return ceiling;
    return Math.min(ceiling, Math.max(adaptive.floorMs, Math.ceil(p95 * adaptive.multiplier)));
  }

  /** The hedge delay: the configured one, else the model's observed p95 of what the race waits for. */
  #hedgeDelay(model: string, raceEndsAt: 'latency' | 'ttft'): number {
    const observed = this.#stats.model(model).observedP95(raceEndsAt);
    return this.#options.hedgeDelayMs ?? observed ?? OR_HEDGE_DEFAULT_DELAY_MS;
  }

  #midStreamFailure(env: LadderEnv, failure: MidStreamFailure): void {
    const { model, next, error, spent, permit } = failure;
    if (error instanceof AbortError) {
      this.#stats.model(model).aborted += 1; // the caller's abort says nothing about the model
      return;
    }
    this.#reportConfigurationError(env, model, error);
    recordFailure(env, this.#breakers.get(model), permit, error, spent);
    if (next === undefined) return;
    if (next === model) {
      this.#stats.retries += 1;
      return;
    }
    this.#stats.fallbacks += 1;
    env.events.emit('fallback', { from: model, to: next, error });
  }

  /** `attempt`, reporting each failure that will not heal by itself (see {@link #reportConfigurationError}). */
  #watched<T>(env: LadderEnv, attempt: Attempt<T>): Attempt<T> {
    return async (model, signal) => {
      try {
        return await attempt(model, signal);
      } catch (error) {
        this.#reportConfigurationError(env, model, error);
        throw error;
      }
    };
  }

  /** A bad key, exhausted credits or an unknown model: a `configurationError` event and its counter. */
  #reportConfigurationError(env: LadderEnv, model: string, error: unknown): void {
    const reason = configurationErrorReason(error);
    if (reason === undefined) return;
    this.#stats.configurationErrors[reason] += 1;
    const status = (error as { effectiveStatus: number }).effectiveStatus;
    env.events.emit('configurationError', { model, status, reason, error: error as Error });
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('OpenRouterClient');
  }
}
