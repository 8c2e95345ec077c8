import { z } from 'zod';
import { type Clock, clockOption, systemClock } from '../internal/clock.ts';
import { EventHub, type EventLogTable } from '../internal/events.ts';
import { loggerOption, parseOptions } from '../internal/options.ts';
import type { LoggerLike } from '../logging/event.ts';
import { CORR_ID_PATTERN, newCorrId } from './corr-id.ts';
import { PhaseTimerError } from './errors.ts';

/** Options of {@link PhaseTimer}. */
export interface PhaseTimerOptions {
  /** Correlation id, 8 lowercase hex chars. @default a new crypto-random id */
  corrId?: string;
  /** Logger for `phase_end` (DEBUG) and `slo_breach` (WARNING) events, e.g. a chatlane `Logger` or pino. @default none */
  logger?: LoggerLike;
  /** Clock of the phases (`ManualClock` in tests). @default the real clock (`performance.now()`) */
  clock?: Clock;
  /** Per-phase budgets in ms: a phase that takes longer emits `slo_breach`. @default {} */
  budgets?: Record<string, number>;
}

/** What {@link PhaseTimer.summary} returns. */
export interface PhaseSummary {
  corrId: string;
  /** Time since the timer was created, in ms (sub-millisecond precision). */
  totalMs: number;
  /** Duration of each ended phase in ms, in the order they ended. */
  phases: Record<string, number>;
}

/** Payload of the `phase` event. */
export interface PhaseEndEvent {
  corrId: string;
  phase: string;
  ms: number;
}

/** Payload of the `slo_breach` event. */
export interface PhaseBreachEvent extends PhaseEndEvent {
  budgetMs: number;
}

/** Events of {@link PhaseTimer}. */
export interface PhaseTimerEvents {
  phase: PhaseEndEvent;
  slo_breach: PhaseBreachEvent;
}

export const phaseTimerOptionsSchema = z.strictObject({
  corrId: z.string().regex(CORR_ID_PATTERN, 'must be 8 lowercase hex characters').optional(),
  logger: loggerOption,
  clock: clockOption(systemClock),
  budgets: z.record(z.string(), z.number().positive()).default({}),
});

/** The events a timer logs through its `logger` option (snake_case detail, as in the JSONL log). */
const PHASE_TIMER_LOG_TABLE: EventLogTable<PhaseTimerEvents> = {
  phase: {
    level: 'debug',
    name: 'phase_end',
    detail: ({ corrId, phase, ms }) => ({ corr_id: corrId, phase, duration_ms: ms }),
  },
  slo_breach: {
    level: 'warn',
    name: 'slo_breach',
    detail: ({ corrId, phase, ms, budgetMs }) => ({
      corr_id: corrId,
      phase,
      duration_ms: ms,
      budget_ms: budgetMs,
    }),
  },
};

/** Rounds to microseconds: sub-millisecond precision without float noise. */
const MICROS_PER_MS = 1_000;
const toMicros = (ms: number) => Math.round(ms * MICROS_PER_MS) / MICROS_PER_MS;

/**
 * Per-request tracing: a correlation id and the duration of each named phase. Phases may nest or
 * run in parallel (several open at once); a phase started twice, ended twice or ended without a
 * start throws a {@link PhaseTimerError}.
 */
export class PhaseTimer {
  /** This request's correlation id. */
  readonly corrId: string;
  readonly #clock: Clock;
  readonly #budgets: Record<string, number>;
  readonly #createdAt: number;
  readonly #open = new Map<string, number>();
  readonly #ended: Record<string, number> = {};
  readonly #events: EventHub<PhaseTimerEvents>;

  constructor(options: PhaseTimerOptions = {}) {
    const o = parseOptions(phaseTimerOptionsSchema, options, 'PhaseTimer options');
    this.corrId = o.corrId ?? newCorrId();
    this.#clock = o.clock;
    this.#events = new EventHub({ logger: o.logger, table: PHASE_TIMER_LOG_TABLE });
    this.#budgets = o.budgets;
    this.#createdAt = this.#clock.now();
  }

  /** Subscribes to `phase` (every phase end) or `slo_breach` (a phase over its budget). */
  on<K extends keyof PhaseTimerEvents>(
    event: K,
    listener: (payload: PhaseTimerEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /** Starts timing `phase`. */
  start(phase: string): void {
    if (this.#open.has(phase)) throw new PhaseTimerError('PHASE_ALREADY_STARTED', phase, this.corrId);
    if (phase in this.#ended) throw new PhaseTimerError('PHASE_ALREADY_ENDED', phase, this.corrId);
    this.#open.set(phase, this.#clock.now());
  }

  /** Ends `phase` and returns its duration in ms. */
  end(phase: string): number {
    const startedAt = this.#open.get(phase);
    if (startedAt === undefined) {
      const code = phase in this.#ended ? 'PHASE_ALREADY_ENDED' : 'PHASE_NOT_STARTED';
      throw new PhaseTimerError(code, phase, this.corrId);
    }
    this.#open.delete(phase);
    const ms = toMicros(this.#clock.now() - startedAt);
    this.#ended[phase] = ms;
    this.#report(phase, ms);
    return ms;
  }

  /** Times `fn` as `phase`; the phase ends whether `fn` resolves or throws. */
  async time<T>(phase: string, fn: () => T | Promise<T>): Promise<T> {
    this.start(phase);
    try {
      return await fn();
    } finally {
      this.end(phase);
    }
  }

  /** True while `phase` is started and not yet ended. */
  isOpen(phase: string): boolean {
    return this.#open.has(phase);
  }

  /** The correlation id, total time so far and every ended phase. */
  summary(): PhaseSummary {
    return {
      corrId: this.corrId,
      totalMs: toMicros(this.#clock.now() - this.#createdAt),
      phases: { ...this.#ended },
    };
  }

  #report(phase: string, ms: number): void {
    const payload = { corrId: this.corrId, phase, ms };
    this.#events.emit('phase', payload);
    const budgetMs = this.#budgets[phase];
    if (budgetMs !== undefined && ms > budgetMs) this.#events.emit('slo_breach', { ...payload, budgetMs });
  }
}
