import { AbortError, InvalidOptionsError } from '../errors.ts';
import type { HistoryKind } from './types.ts';

/** Options of `claimMessage`, `clearHistory`, `invalidateUser` and `invalidateServer`. */
export interface CallOptions {
  /** Ends this caller's wait (`AbortError`); a store call already sent may still complete. */
  signal?: AbortSignal;
}

/** Options of {@link SessionCache.getProfile}. */
export interface GetProfileOptions {
  /** Ends this caller's wait (a shared load runs on for the others). */
  signal?: AbortSignal;
  /** Ties the profile to this guild, so `invalidateServer(guildId)` drops it. */
  guildId?: string;
}

/** Options of {@link SessionCache.append}. */
export interface AppendOptions {
  /** Ties the conversation to this guild, so `invalidateServer(guildId)` drops it. */
  guildId?: string;
  /** Ends this caller's wait (`AbortError`); the message may still be stored. */
  signal?: AbortSignal;
}

/** Options of {@link SessionCache.getHistory}. */
export interface GetHistoryOptions {
  /** Selects the budget: `dm` (800 tokens) or `guild` (1200 tokens). */
  kind: HistoryKind;
  /** Overrides the budget for this call (capped in effect by what is stored). */
  budgetTokens?: number;
  /** Ends this caller's wait (`AbortError`). */
  signal?: AbortSignal;
}

/** Options of {@link SessionCache.getHistory} for a conversation reference (its kind is the reference's). */
export type ConversationHistoryOptions = Omit<GetHistoryOptions, 'kind'>;

/** Throws `InvalidOptionsError` unless `value` is a non-empty string. */
export function requireId(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionsError('SessionCache call', [
      `\`${name}\`: Expected a non-empty string, got ${typeof value}`,
    ]);
  }
}

/** Throws `AbortError` when `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}

/** The token budget of a `getHistory` call (validated). */
export function resolveBudget(options: GetHistoryOptions, budgets: { dm: number; guild: number }): number {
  const { kind, budgetTokens } = options;
  if (kind !== 'dm' && kind !== 'guild') {
    throw new InvalidOptionsError('getHistory options', [
      `\`kind\`: Expected "dm" or "guild", got ${String(kind)}`,
    ]);
  }
  if (budgetTokens === undefined) return budgets[kind];
  if (!Number.isInteger(budgetTokens) || budgetTokens < 0) {
    throw new InvalidOptionsError('getHistory options', [
      `\`budgetTokens\`: Expected an integer >= 0, got ${String(budgetTokens)}`,
    ]);
  }
  return budgetTokens;
}
