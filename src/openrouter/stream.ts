/**
 * `stream()` orchestration: open a stream through the ladder (failures before the first token
 * fall back invisibly), yield deltas, and on a failure after the first token either throw
 * (`recovery: 'error'`) or restart on the next model and yield a `reset` item (`'reset'`).
 */
import { AbortError } from '../errors.ts';
import type { BreakerPermit } from './breaker.ts';
import { AllModelsFailedError } from './errors.ts';
import type { AttemptCounter, LadderResult } from './ladder.ts';
import type { CallScope } from './scope.ts';
import type { OpenedStream, StreamEvent } from './stream-attempt.ts';
import type { OpenRouterStreamItem } from './types.ts';

/** A stream that broke after its first token. */
export interface MidStreamFailure {
  /** The model that failed. */
  model: string;
  /** The model the stream restarts on, if any (the same model while the call has retries left on it). */
  next: string | undefined;
  error: Error;
  /**
   * True when the call is done with `model`: only then does the failure count toward the model's
   * breaker (one verdict per call), reported with the `permit` the stream was opened with.
   */
  spent: boolean;
  permit: BreakerPermit;
}

/** What the stream loop needs from the client. */
export interface StreamDriver {
  /** Opens a stream through the (hedged) ladder over `models`. */
  open(
    models: readonly string[],
    scope: CallScope,
    counter: AttemptCounter,
  ): Promise<LadderResult<OpenedStream>>;
  /** A model failed after its first token. */
  midStreamFailure(failure: MidStreamFailure): void;
  /** The stream restarted on `model` (its first token arrived) after `from` failed mid-stream. */
  restarted(from: string, model: string, error: Error): void;
  /** A call succeeded. */
  success(model: string, latencyMs: number, ttftMs: number | undefined): void;
  /** Retries per model and call: a stream that breaks mid-answer restarts on its model this often. */
  readonly maxRetries: number;
}

/**
 * Opens the (rest of the) ladder. When every model left fails, the models that already failed
 * mid-stream join the AllModelsFailedError, so it holds each model's last error.
 */
async function openRest(
  driver: StreamDriver,
  ladder: readonly string[],
  scope: CallScope,
  counter: AttemptCounter,
  failedMidStream: Record<string, Error>,
): Promise<LadderResult<OpenedStream>> {
  try {
    return await driver.open(ladder, scope, counter);
  } catch (error) {
    if (!(error instanceof AllModelsFailedError) || Object.keys(failedMidStream).length === 0) throw error;
    throw new AllModelsFailedError({ ...failedMidStream, ...error.errors });
  }
}

async function* events(opened: OpenedStream): AsyncGenerator<StreamEvent, void> {
  yield opened.first;
  yield* opened.rest;
}

/** Runs one `stream()` call. */
export async function* runStream(
  driver: StreamDriver,
  models: readonly string[],
  scope: CallScope,
  recovery: 'reset' | 'error',
): AsyncGenerator<OpenRouterStreamItem, void> {
  const counter: AttemptCounter = { attempts: 0 };
  let ladder = models;
  let reset: { from: string; reason: Error } | undefined;
  const failedMidStream: Record<string, Error> = {};
  const midStreamRetries: Record<string, number> = {};
  let ttftMs: number | undefined;
  let current: OpenedStream | undefined;
  try {
    for (;;) {
      const {
        value: opened,
        model,
        permit,
      } = await openRest(driver, ladder, scope, counter, failedMidStream);
      current = opened;
      if (reset !== undefined) {
        driver.restarted(reset.from, model, reset.reason);
        yield { type: 'reset', model, reason: reset.reason };
        reset = undefined;
      }
      ttftMs ??= opened.firstAt - scope.startedAt;
      try {
        for await (const event of events(opened)) {
          if (event.kind === 'delta') {
            yield { type: 'delta', delta: event.text, model };
            continue;
          }
          opened.finish();
          current = undefined;
          const latencyMs = scope.clock.now() - scope.startedAt;
          driver.success(model, latencyMs, ttftMs);
          yield {
            type: 'done',
            model,
            usage: event.usage,
            finishReason: event.finishReason,
            attempts: counter.attempts,
            latencyMs,
            ttftMs,
          };
          return;
        }
      } catch (caught) {
        const error = scope.signal.aborted ? (scope.signal.reason as Error) : (caught as Error);
        opened.cancel(error);
        current = undefined;
        const index = ladder.indexOf(model);
        const retryable = (error as { retryable?: unknown }).retryable === true;
        const recoverable = !scope.signal.aborted && retryable && recovery === 'reset';
        const retries = midStreamRetries[model] ?? 0;
        const sameModel = recoverable && retries < driver.maxRetries;
        const restart = sameModel ? model : recoverable ? ladder[index + 1] : undefined;
        driver.midStreamFailure({ model, next: restart, error, spent: !sameModel, permit });
        if (restart === undefined) throw error;
        if (sameModel) midStreamRetries[model] = retries + 1;
        ladder = ladder.slice(sameModel ? index : index + 1);
        reset = { from: model, reason: error };
        failedMidStream[model] = error;
      }
    }
  } finally {
    current?.cancel(new AbortError('The stream was closed by its consumer'));
    scope.dispose();
  }
}
