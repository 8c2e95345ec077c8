/**
 * The fallback ladder: for each model in order, skip it if its breaker is open, else run the
 * attempt with retries (p-retry, full-jitter backoff or the server's `Retry-After`), and move on
 * when its retries are spent. A fatal error (400/401/402), a caller abort or the deadline end the
 * whole call.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry, { AbortError as StopRetrying } from 'p-retry';
import type { ModelBreaker } from './breaker.ts';
import { AllModelsFailedError, CircuitOpenError, OpenRouterHttpError } from './errors.ts';
import type { EventSink } from './events.ts';
import { retryDelayMs } from './retry.ts';
import type { CallScope } from './scope.ts';
import type { StatsRecorder } from './stats.ts';

/** One attempt on one model; rejects with a typed error. */
export type Attempt<T> = (model: string, signal: AbortSignal) => Promise<T>;

/** What the ladder needs from the client. */
export interface LadderEnv {
  breaker(model: string): ModelBreaker;
  readonly events: EventSink;
  readonly stats: StatsRecorder;
  readonly maxRetries: number;
  readonly random: () => number;
}

/** Attempts made by one call (shared by hedged branches). */
export interface AttemptCounter {
  attempts: number;
}

/** The winning value and the model that produced it. */
export interface LadderResult<T> {
  value: T;
  model: string;
}

function endsCall(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof OpenRouterHttpError && error.fatal);
}

/**
 * Counts a failed attempt. Only retryable failures (5xx, 429, timeouts, resets, bad bodies) count
 * against the model's breaker: a 4xx says more about the request or the key than about the model.
 */
export function recordFailure(env: LadderEnv, breaker: ModelBreaker, error: unknown): void {
  env.stats.model(breaker.model).failures += 1;
  env.stats.failure((error as { code?: string }).code ?? 'UNKNOWN');
  if ((error as { retryable?: unknown }).retryable === true) breaker.failure();
  else breaker.release();
}

async function runModel<T>(
  env: LadderEnv,
  model: string,
  attempt: Attempt<T>,
  scope: CallScope,
  signal: AbortSignal,
  counter: AttemptCounter,
): Promise<T> {
  const breaker = env.breaker(model);
  const once = async (): Promise<T> => {
    if (!breaker.tryAcquire()) throw new StopRetrying(new CircuitOpenError(model));
    counter.attempts += 1;
    env.stats.attempts += 1;
    try {
      const value = await attempt(model, signal);
      breaker.success();
      return value;
    } catch (error) {
      if (signal.aborted) breaker.release();
      else recordFailure(env, breaker, error);
      if (endsCall(error, signal)) throw new StopRetrying(error as Error);
      throw error;
    }
  };
  return pRetry(once, {
    retries: env.maxRetries,
    minTimeout: 0,
    maxTimeout: 0,
    signal,
    shouldRetry: () => true,
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      if (retriesLeft === 0) return;
      if (breaker.state === 'open') throw error;
      const delayMs = retryDelayMs(error, attemptNumber - 1, scope.remainingMs(), env.random);
      if (delayMs === undefined) throw error;
      env.stats.retries += 1;
      env.events.emit('retry', { model, attempt: attemptNumber, delayMs, error });
      if (delayMs > 0) await sleep(delayMs, undefined, { signal, ref: false });
    },
  });
}

/** Runs the ladder; resolves with the first success, rejects with AllModelsFailedError or a call-ending error. */
export async function runLadder<T>(
  env: LadderEnv,
  models: readonly string[],
  attempt: Attempt<T>,
  scope: CallScope,
  signal: AbortSignal,
  counter: AttemptCounter,
): Promise<LadderResult<T>> {
  const errors: Record<string, Error> = {};
  for (let i = 0; i < models.length; i += 1) {
    const model = models[i]!;
    try {
      const value = await runModel(env, model, attempt, scope, signal, counter);
      return { value, model };
    } catch (caught) {
      const error = signal.aborted ? (signal.reason as Error) : (caught as Error);
      if (endsCall(error, signal)) throw error;
      errors[model] = error;
      const next = models[i + 1];
      if (next !== undefined) {
        env.stats.fallbacks += 1;
        env.events.emit('fallback', { from: model, to: next, error });
      }
    }
  }
  throw new AllModelsFailedError(errors);
}
