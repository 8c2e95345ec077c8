/**
 * The fallback ladder: for each model in order, skip it if its breaker is open, else run the
 * attempt with retries (p-retry, full-jitter backoff or the server's `Retry-After`), and move on
 * when its retries are spent. A fatal error (400/401/402), a queue timeout, a caller abort or the
 * deadline end the whole call.
 *
 * The breaker counts calls, not attempts: one call's attempts on a model are one verdict, given
 * when the call is done with the model — a success, or one failure once its retries are spent (or
 * a retry is not allowed). So a call always gets its `maxRetries` retries on a model whose breaker
 * is closed; it stops retrying early only when other calls opened the breaker meanwhile. A
 * half-open probe gets exactly one attempt.
 */
import pRetry, { AbortError as StopRetrying } from 'p-retry';
import { raceAbort } from '../internal/abort.ts';
import type { Clock } from '../internal/clock.ts';
import type { BreakerPermit, ModelBreaker } from './breaker.ts';
import { AllModelsFailedError, CircuitOpenError, OpenRouterHttpError, TimeoutError } from './errors.ts';
import type { EventSink } from './events.ts';
import { QueueTimeoutError } from './queue-timeout-error.ts';
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
  /** A shared hedge budget: resolves true when a hedge may start (none: always). */
  readonly hedgeBudget?: (() => Promise<boolean>) | undefined;
}

/** Attempts made by one call (shared by hedged branches). */
export interface AttemptCounter {
  attempts: number;
}

/** The winning value and the model that produced it. */
export interface LadderResult<T> {
  value: T;
  model: string;
  /** The breaker permit the answer came through (a later mid-stream failure reports with it). */
  permit: BreakerPermit;
}

/** Errors after which no other attempt of the call is made. */
function endsCall(error: unknown, signal: AbortSignal): boolean {
  return (
    signal.aborted ||
    error instanceof QueueTimeoutError ||
    (error instanceof OpenRouterHttpError && error.fatal)
  );
}

/**
 * True for a failure that says the model is unhealthy: retryable ones (5xx, 429, timeouts, resets,
 * bad bodies). A 4xx says more about the request or the key; a queue timeout is our own capacity.
 */
function isModelFailure(error: unknown): boolean {
  return (error as { retryable?: unknown }).retryable === true && !(error instanceof QueueTimeoutError);
}

/** Counts a failed attempt in the stats (the breaker's verdict is per call: see {@link recordFailure}). */
function countFailedAttempt(env: LadderEnv, model: string, error: unknown): void {
  if (!(error instanceof QueueTimeoutError)) env.stats.model(model).failures += 1;
  env.stats.failure((error as { code?: string }).code ?? 'UNKNOWN');
}

/**
 * Records that a call failed on `breaker`'s model after it had an answer under way (a stream that
 * broke after its first token): one failed attempt and, when the call is done with the model
 * (`spent`: no restart on it), one failure for the breaker if the error says the model is unhealthy.
 */
export function recordFailure(
  env: LadderEnv,
  breaker: ModelBreaker,
  permit: BreakerPermit,
  error: unknown,
  spent: boolean,
): void {
  countFailedAttempt(env, breaker.model, error);
  if (spent && isModelFailure(error)) breaker.failure(permit);
}

/** Gives the breaker the verdict of a call that is done with the model without an answer. */
function settleFailure(
  breaker: ModelBreaker,
  permit: BreakerPermit,
  error: unknown,
  signal: AbortSignal,
): void {
  if (!signal.aborted && isModelFailure(error)) breaker.failure(permit);
  else breaker.release(permit);
}

/** One model of one call. */
interface ModelRun<T> {
  readonly env: LadderEnv;
  readonly model: string;
  readonly breaker: ModelBreaker;
  readonly attempt: Attempt<T>;
  readonly scope: CallScope;
  readonly signal: AbortSignal;
  readonly counter: AttemptCounter;
  /** A later model of the ladder can take the call. */
  readonly hasFallback: boolean;
}

/**
 * A model that accepted the request and sent no token before the (adaptive) deadline is not asked
 * again while another model can answer: a stall tends to repeat, and the fallback is the faster cure.
 */
function isStallWithFallback(run: ModelRun<unknown>, error: Error): boolean {
  return run.hasFallback && error instanceof TimeoutError && error.kind === 'first_token';
}

async function attemptOnce<T>(run: ModelRun<T>): Promise<T> {
  const { env, model, scope, signal } = run;
  run.counter.attempts += 1;
  env.stats.attempts += 1;
  try {
    return await run.attempt(model, signal);
  } catch (error) {
    if (scope.abortedByCaller) env.stats.model(model).aborted += 1;
    else if (!signal.aborted) countFailedAttempt(env, model, error);
    if (endsCall(error, signal)) throw new StopRetrying(error as Error);
    throw error;
  }
}

/**
 * Before a retry: refuses it (rethrows) when the breaker was opened by other calls meanwhile, or
 * when the error or the deadline forbid it; else announces it and waits. The wait is a ref'd timer:
 * the caller is waiting on it, so it keeps the process alive.
 */
async function beforeRetry<T>(
  run: ModelRun<T>,
  { error, attemptNumber, retriesLeft }: { error: Error; attemptNumber: number; retriesLeft: number },
): Promise<void> {
  if (retriesLeft === 0) return;
  const { env, model, breaker, scope, signal } = run;
  if (breaker.state !== 'closed' || isStallWithFallback(run, error)) throw error;
  const delayMs = retryDelayMs(error, attemptNumber - 1, scope.remainingMs(), env.random);
  if (delayMs === undefined) throw error;
  env.stats.retries += 1;
  env.events.emit('retry', { model, attempt: attemptNumber, delayMs, error });
  if (delayMs > 0) await sleep(scope.clock, delayMs, signal);
  if (breaker.state !== 'closed') throw error;
}

/** Waits `ms` on `clock` (a ref'd timer: the caller awaits it); rejects with the reason when `signal` aborts. */
async function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  let timer: unknown;
  const elapsed = new Promise<void>((resolve) => {
    timer = clock.setTimeout(resolve, ms);
  });
  try {
    await raceAbort(elapsed, { signal, error: (reason) => reason });
  } finally {
    clock.clearTimeout(timer);
  }
}

async function runModel<T>(run: ModelRun<T>): Promise<LadderResult<T>> {
  const { breaker, model, signal } = run;
  const permit = breaker.tryAcquire();
  if (permit === undefined) throw new CircuitOpenError(model);
  try {
    const value = await pRetry(() => attemptOnce(run), {
      retries: permit.kind === 'probe' ? 0 : run.env.maxRetries,
      minTimeout: 0,
      maxTimeout: 0,
      signal,
      shouldRetry: () => true,
      onFailedAttempt: (context) => beforeRetry(run, context),
    });
    breaker.success(permit);
    return { value, model, permit };
  } catch (error) {
    settleFailure(breaker, permit, error, signal);
    throw error;
  }
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
      const hasFallback = i < models.length - 1;
      const run = { env, model, breaker: env.breaker(model), attempt, scope, signal, counter, hasFallback };
      return await runModel(run);
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
