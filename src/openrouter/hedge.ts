/**
 * Hedged calls: when the primary ladder has not answered after `delayMs`, a second ladder starts
 * on the next model; the first to answer wins and the other is aborted.
 */
import { AbortError } from '../errors.ts';
import { OpenRouterHttpError } from './errors.ts';
import { type Attempt, type AttemptCounter, type LadderEnv, type LadderResult, runLadder } from './ladder.ts';
import { type CallScope, childController } from './scope.ts';

/**
 * Runs `models` hedged: primary now, the rest of the ladder after `delayMs` if the primary is
 * still pending (from the first later model whose breaker is not open; no hedge if none).
 * `discard` releases a value that arrived after the race was decided (an open stream).
 */
export function runHedged<T>(
  env: LadderEnv,
  models: readonly string[],
  attempt: Attempt<T>,
  scope: CallScope,
  counter: AttemptCounter,
  delayMs: number,
  discard?: (value: T) => void,
): Promise<LadderResult<T>> {
  const primary = childController(scope.signal);
  const secondary = childController(scope.signal);
  return new Promise<LadderResult<T>>((resolve, reject) => {
    let pending = 1;
    let done = false;
    const errors: { primary?: unknown; hedge?: unknown } = {};
    const finish = (): void => {
      scope.clock.clearTimeout(timer);
      primary.unlink();
      secondary.unlink();
    };
    const win = (loser: AbortController) => (result: LadderResult<T>) => {
      if (done) {
        discard?.(result.value); // both answered in the same tick: release the late one
        return;
      }
      done = true;
      loser.abort(new AbortError('Hedged attempt lost the race'));
      finish();
      resolve(result);
    };
    // The primary ladder runs every model, so its error (e.g. AllModelsFailedError) is the full
    // account; the hedge branch's covers only `models.slice(1)`. A fatal error (400/401/402) ends
    // the call at once, as it does unhedged: the other branch is aborted.
    const lose = (branch: 'primary' | 'hedge') => (error: unknown) => {
      pending -= 1;
      errors[branch] = error;
      const fatal = error instanceof OpenRouterHttpError && error.fatal;
      if (done || (pending > 0 && !fatal)) return;
      done = true;
      const ended = new AbortError('The other hedged attempt ended the call');
      primary.controller.abort(ended);
      secondary.controller.abort(ended);
      finish();
      reject(scope.signal.aborted ? scope.signal.reason : (errors.primary ?? errors.hedge));
    };
    const startHedge = () => {
      if (done) return;
      // A model whose breaker is open would be skipped: hedge on the next live one, or not at all.
      const from = models.findIndex((model, index) => index > 0 && env.breaker(model).state !== 'open');
      if (from === -1) return;
      pending += 1;
      env.stats.hedges += 1;
      env.events.emit('hedge', { primary: models[0]!, hedge: models[from]!, delayMs });
      runLadder(env, models.slice(from), attempt, scope, secondary.controller.signal, counter).then(
        win(primary.controller),
        lose('hedge'),
      );
    };
    // With a shared hedge budget, a hedge starts only when the budget has a slot left now.
    const onDelay = () => {
      const budget = env.hedgeBudget;
      if (budget === undefined) return startHedge();
      void budget().then((granted) => {
        if (granted) startHedge();
        else if (!done) env.stats.hedgesOverBudget += 1;
      });
    };
    const timer = scope.clock.setTimeout(onDelay, delayMs); // ref'd like every timer of a pending call; finish() clears it
    runLadder(env, models, attempt, scope, primary.controller.signal, counter).then(
      win(secondary.controller),
      lose('primary'),
    );
  });
}
