import type { PhaseTimerOptions } from './phase-timer.ts';

/**
 * Every default of {@link PhaseTimerOptions} that is a value: no phase budgets (a fresh correlation
 * id and `performance.now` are the defaults of `corrId` and `clock`).
 */
export const DEFAULT_PHASE_TIMER_OPTIONS = Object.freeze({
  budgets: Object.freeze({}) as Readonly<Record<string, number>>,
} as const);
