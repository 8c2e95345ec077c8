import { InvalidOptionsError } from '../errors.ts';
import type { HistoryMessage, TokenCounter } from './types.ts';

const ROLES: ReadonlySet<unknown> = new Set(['user', 'assistant', 'system']);

/** A message ready to store: a frozen shallow copy and its token count. */
export interface PreparedMessage<M extends HistoryMessage> {
  readonly message: M;
  readonly tokens: number;
}

function invalid(issue: string): InvalidOptionsError {
  return new InvalidOptionsError('chat message', [issue]);
}

/**
 * Validates a message and returns a frozen shallow copy with its token count (overhead
 * included), so the stored history cannot be changed through the caller's object afterwards.
 */
export function prepareMessage<M extends HistoryMessage>(
  message: M,
  countTokens: TokenCounter,
  overheadTokens: number,
): PreparedMessage<M> {
  if (typeof message !== 'object' || message === null) throw invalid('Expected an object');
  if (!ROLES.has(message.role)) {
    throw invalid(`\`role\`: Expected "user", "assistant" or "system", got ${JSON.stringify(message.role)}`);
  }
  if (typeof message.content !== 'string') {
    throw invalid(`\`content\`: Expected a string, got ${typeof message.content}`);
  }
  const counted = countTokens(message.content);
  if (!Number.isFinite(counted) || counted < 0) {
    throw new InvalidOptionsError('countTokens result', [`Expected a number >= 0, got ${String(counted)}`]);
  }
  return { message: Object.freeze({ ...message }), tokens: Math.ceil(counted) + overheadTokens };
}

/**
 * Index of the oldest message kept when walking newest → oldest and adding token counts while
 * the total stays within `budgetTokens`; stops at the first message that does not fit (an older,
 * shorter message is not pulled in past it, so the kept part is always a contiguous tail).
 * `keepNewest` keeps the newest message even when it alone exceeds the budget.
 */
export function tailStart(
  count: number,
  tokensAt: (index: number) => number,
  budgetTokens: number,
  keepNewest = false,
): number {
  let total = 0;
  let first = count;
  while (first > 0) {
    const tokens = tokensAt(first - 1);
    if (total + tokens > budgetTokens && !(keepNewest && first === count)) break;
    total += tokens;
    first -= 1;
  }
  return first;
}
