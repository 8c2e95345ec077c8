import { z } from 'zod';
import {
  ROUTER_DECISION_BUDGET_MS,
  ROUTER_LONG_TEXT_CHARS,
  ROUTER_MODEL_COMPLEX,
  ROUTER_MODEL_MODERATE,
  ROUTER_MODEL_SIMPLE,
  ROUTER_SHORT_TEXT_CHARS,
} from '../constants.ts';
import { type Clock, clockOption, systemClock } from '../internal/clock.ts';
import { loggerOption } from '../internal/options.ts';
import type { LoggerLike } from '../logging/event.ts';
import type { RouteClassifier, RouteComplexity, RoutePath, RouterModels } from './types.ts';

/** Options of {@link FastPathRouter}. */
export interface FastPathRouterOptions {
  /** Decision budget: a classifier still running after this long is abandoned. @default 100 */
  budgetMs?: number;
  /** Model id per complexity. @default { simple: 'openai/gpt-4o-mini', moderate: 'openai/gpt-4o-mini', complex: 'anthropic/claude-sonnet-4' } */
  models?: Partial<RouterModels>;
  /** Optional async classifier raced against the budget. @default undefined (heuristics only) */
  classify?: RouteClassifier;
  /**
   * Decision returned when the classifier overruns the budget. `'heuristic'` returns the built-in
   * heuristic decision; an object forces a path and complexity. @default 'heuristic'
   */
  emergency?: 'heuristic' | { path: RoutePath; complexity: RouteComplexity };
  /** Allow the fast path outside DMs too. @default false */
  guildFastPath?: boolean;
  /** Text up to this many characters is short. @default 280 */
  shortTextChars?: number;
  /** Text over this many characters is complex. @default 1200 */
  longTextChars?: number;
  /** Clock for `decisionMs` and the decision budget (`ManualClock` in tests). @default the real clock */
  clock?: Clock;
  /** Logger the router writes `router_input_error` (WARNING) to: an input or classifier error it absorbed. @default none */
  logger?: LoggerLike;
}

/** Every default of {@link FastPathRouterOptions} that is a value (the real clock is the default `clock`). */
export const DEFAULT_FAST_PATH_ROUTER_OPTIONS = Object.freeze({
  budgetMs: ROUTER_DECISION_BUDGET_MS,
  models: Object.freeze({
    simple: ROUTER_MODEL_SIMPLE,
    moderate: ROUTER_MODEL_MODERATE,
    complex: ROUTER_MODEL_COMPLEX,
  }),
  emergency: 'heuristic',
  guildFastPath: false,
  shortTextChars: ROUTER_SHORT_TEXT_CHARS,
  longTextChars: ROUTER_LONG_TEXT_CHARS,
} as const satisfies Required<Omit<FastPathRouterOptions, 'classify' | 'logger' | 'clock'>>);

const complexity = z.enum(['simple', 'moderate', 'complex']);
const fn = <T>() => z.custom<T>((value) => typeof value === 'function', 'Expected a function');
const model = z.string().min(1);
const defaults = DEFAULT_FAST_PATH_ROUTER_OPTIONS;

/** zod schema of {@link FastPathRouterOptions}. */
export const fastPathRouterOptionsSchema = z
  .object({
    budgetMs: z.number().positive().default(defaults.budgetMs),
    models: z
      .object({
        simple: model.default(defaults.models.simple),
        moderate: model.default(defaults.models.moderate),
        complex: model.default(defaults.models.complex),
      })
      .strict()
      .default(() => ({ ...defaults.models })),
    classify: fn<RouteClassifier>().optional(),
    emergency: z
      .union([z.literal('heuristic'), z.object({ path: z.enum(['fast', 'full']), complexity }).strict()])
      .default(defaults.emergency),
    guildFastPath: z.boolean().default(defaults.guildFastPath),
    shortTextChars: z.number().int().min(0).default(defaults.shortTextChars),
    longTextChars: z.number().int().min(1).default(defaults.longTextChars),
    clock: clockOption(systemClock),
    logger: loggerOption,
  })
  .strict()
  .refine((o) => o.longTextChars > o.shortTextChars, {
    message: 'Expected `longTextChars` to be greater than `shortTextChars`',
    path: ['longTextChars'],
  });
