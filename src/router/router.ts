import { AbortError } from '../errors.ts';
import { raceAbort } from '../internal/abort.ts';
import type { Clock } from '../internal/clock.ts';
import { EventHub, type EventLogTable } from '../internal/events.ts';
import { parseOptions } from '../internal/options.ts';
import {
  decidePath,
  extractFeatures,
  type HeuristicDecision,
  type HeuristicLimits,
  heuristicDecision,
  type MessageFeatures,
  normalizeMessage,
} from './heuristics.ts';
import { type FastPathRouterOptions, fastPathRouterOptionsSchema } from './options.ts';
import { type RouterStats, RouterStatsRecorder } from './stats.ts';
import type {
  ClassifierVerdict,
  RouteClassifier,
  RouteComplexity,
  RouteDecision,
  RouteErrorEvent,
  RouteMessage,
  RouterModels,
  RouteSource,
} from './types.ts';

/**
 * Events of a {@link FastPathRouter}: every decision, as returned by `route()`, and every error it
 * absorbed on the way (throwing input getters, a failing classifier, a throwing verdict).
 */
export interface FastPathRouterEvents {
  decision: RouteDecision;
  error: RouteErrorEvent;
}

/** The events the router logs through its `logger` option. */
const ROUTER_LOG_TABLE: EventLogTable<FastPathRouterEvents> = {
  error: { level: 'warn', name: 'router_input_error' },
};

type RaceOutcome =
  | { kind: 'verdict'; value: unknown }
  | { kind: 'error'; error: unknown }
  | { kind: 'timeout' };

const COMPLEXITIES: readonly string[] = ['simple', 'moderate', 'complex'];

function isComplexity(value: unknown): value is RouteComplexity {
  return typeof value === 'string' && COMPLEXITIES.includes(value);
}

/**
 * A classifier answer as an object verdict, or `undefined` when it is not a valid one.
 * Reads the answer's properties, so a throwing getter or Proxy trap throws from here.
 */
function readVerdict(value: unknown): Exclude<ClassifierVerdict, RouteComplexity> | undefined {
  if (isComplexity(value)) return { complexity: value };
  if (value === null || typeof value !== 'object') return undefined;
  const verdict = value as Record<string, unknown>;
  if (!isComplexity(verdict.complexity)) return undefined;
  const out: Exclude<ClassifierVerdict, RouteComplexity> = { complexity: verdict.complexity };
  if (verdict.path === 'fast' || verdict.path === 'full') out.path = verdict.path;
  if (typeof verdict.skipRag === 'boolean') out.skipRag = verdict.skipRag;
  if (typeof verdict.reason === 'string') out.reason = verdict.reason;
  return out;
}

/**
 * Decides, per message, fast or full path, complexity, skippable steps and model. Heuristics run
 * first (microseconds); an optional classifier is raced against the budget. `route()` never throws
 * on odd input (not even on throwing getters in the message or the verdict: those are reported on
 * the `error` event); it rejects only with `AbortError` when the caller's signal aborts.
 */
export class FastPathRouter {
  readonly #budgetMs: number;
  readonly #models: RouterModels;
  readonly #classify: RouteClassifier | undefined;
  readonly #emergency: FastPathRouterOptions['emergency'];
  readonly #limits: HeuristicLimits;
  readonly #clock: Clock;
  readonly #stats = new RouterStatsRecorder();
  readonly #events: EventHub<FastPathRouterEvents>;

  constructor(options: FastPathRouterOptions = {}) {
    const parsed = parseOptions(fastPathRouterOptionsSchema, options, 'FastPathRouter options');
    this.#budgetMs = parsed.budgetMs;
    this.#models = parsed.models;
    this.#classify = parsed.classify;
    this.#emergency = parsed.emergency;
    this.#limits = {
      shortTextChars: parsed.shortTextChars,
      longTextChars: parsed.longTextChars,
      guildFastPath: parsed.guildFastPath,
    };
    this.#clock = parsed.clock;
    this.#events = new EventHub({ logger: parsed.logger, table: ROUTER_LOG_TABLE });
  }

  /** Routes one message. With no classifier the decision is synchronous work (no timer). */
  async route(message: RouteMessage, options: { signal?: AbortSignal } = {}): Promise<RouteDecision> {
    const { signal } = options;
    if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
    const started = this.#clock.now();
    const normalized = normalizeMessage(message, (error) => this.#reportError('input', error));
    const features = extractFeatures(normalized);
    const heuristic = heuristicDecision(features, this.#limits);
    if (!this.#classify) return this.#finish(heuristic, 'heuristic', false, started, normalized.isDM);

    this.#stats.classifierCalls += 1;
    const outcome = await this.#race(this.#classify, normalized, started, signal);
    if (outcome.kind === 'timeout') {
      this.#stats.timeouts += 1;
      return this.#finish(
        this.#emergencyDecision(heuristic, features),
        'emergency',
        true,
        started,
        normalized.isDM,
      );
    }
    if (outcome.kind === 'error') this.#reportError('classifier', outcome.error);
    const verdict = outcome.kind === 'verdict' ? this.#readVerdictSafely(outcome.value) : undefined;
    if (!verdict) {
      if (!(outcome.kind === 'verdict' && outcome.value === undefined)) this.#stats.classifierErrors += 1;
      return this.#finish(heuristic, 'heuristic', false, started, normalized.isDM);
    }
    const { path, skip } = decidePath(features, verdict.complexity, this.#limits);
    const decided: HeuristicDecision = {
      path: verdict.path ?? path,
      complexity: verdict.complexity,
      skip: verdict.skipRag === undefined ? skip : { ...skip, rag: verdict.skipRag },
      reason: verdict.reason ?? `classifier-${verdict.complexity}`,
    };
    return this.#finish(decided, 'classifier', false, started, normalized.isDM);
  }

  /** Subscribes to an event (`decision`, `error`); returns the unsubscribe function. */
  on<K extends keyof FastPathRouterEvents>(
    event: K,
    listener: (payload: FastPathRouterEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /** Fast-path rates (overall and DMs), timeouts, classifier failures, decision-time percentiles. */
  getStats(): RouterStats {
    return this.#stats.snapshot();
  }

  /** The classifier's answer as a verdict; one whose reading throws counts as invalid and is reported. */
  #readVerdictSafely(value: unknown): ReturnType<typeof readVerdict> {
    try {
      return readVerdict(value);
    } catch (error) {
      this.#reportError('verdict', error);
      return undefined;
    }
  }

  #reportError(stage: RouteErrorEvent['stage'], error: unknown): void {
    if (this.#events.hasListeners('error')) this.#events.emit('error', { stage, error });
  }

  #emergencyDecision(heuristic: HeuristicDecision, features: MessageFeatures): HeuristicDecision {
    const emergency = this.#emergency;
    if (emergency === undefined || emergency === 'heuristic') {
      return { ...heuristic, reason: `classifier-timeout:${heuristic.reason}` };
    }
    const { skip } = decidePath(features, emergency.complexity, this.#limits);
    return { path: emergency.path, complexity: emergency.complexity, skip, reason: 'classifier-timeout' };
  }

  #finish(
    decided: HeuristicDecision,
    source: RouteSource,
    timedOut: boolean,
    started: number,
    isDM: boolean,
  ): RouteDecision {
    const decision: RouteDecision = {
      path: decided.path,
      complexity: decided.complexity,
      skip: decided.skip,
      model: this.#models[decided.complexity],
      reason: decided.reason,
      decisionMs: Math.max(0, this.#clock.now() - started),
      timedOut,
      source,
    };
    this.#stats.record(decision, isDM);
    if (this.#events.hasListeners('decision')) this.#events.emit('decision', decision);
    return decision;
  }

  /** Races the classifier against what is left of the budget and the caller's signal. */
  async #race(
    classify: RouteClassifier,
    message: RouteMessage,
    started: number,
    signal: AbortSignal | undefined,
  ): Promise<RaceOutcome> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const remaining = Math.max(0, this.#budgetMs - (this.#clock.now() - started));
    // Not unref'd: the caller awaits this race, so the budget timer keeps the process alive until
    // it fires (a classifier that never settles must not let the process exit mid-`route()`).
    const timeout = new Promise<RaceOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), remaining);
    });
    let answer: Promise<RaceOutcome>;
    try {
      answer = Promise.resolve(classify(message, { signal: controller.signal })).then(
        (value): RaceOutcome => ({ kind: 'verdict', value }),
        (error: unknown): RaceOutcome => ({ kind: 'error', error }),
      );
    } catch (error) {
      answer = Promise.resolve({ kind: 'error', error });
    }
    try {
      const error = (reason: unknown) => new AbortError(undefined, { cause: reason });
      const outcome = await raceAbort(Promise.race([answer, timeout]), { signal, error });
      if (outcome.kind === 'timeout') controller.abort(new AbortError('Router decision budget exceeded'));
      return outcome;
    } catch (error) {
      controller.abort(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
