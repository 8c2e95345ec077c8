import { z } from 'zod';
import { parseOptions } from '../internal/options.ts';
import type { HistoryEntry } from './store.ts';
import type { ChatMessage, TokenCounter } from './types.ts';

const messageSchema = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.string(),
});

/**
 * Validates a message and returns a frozen shallow copy with its token count, so the stored
 * history cannot be changed by the caller's object afterwards.
 */
export function toHistoryEntry<M extends ChatMessage>(
  message: M,
  countTokens: TokenCounter,
  overheadTokens: number,
): HistoryEntry<M> {
  const copy = parseOptions(messageSchema, message, 'chat message') as M;
  return { message: Object.freeze(copy), tokens: countTokens(copy.content) + overheadTokens };
}

/**
 * The newest messages whose token counts add up to at most `budgetTokens`, oldest first. Walks
 * newest → oldest and stops at the first message that does not fit (an older, shorter message
 * is not pulled in past it, so the result is always a contiguous tail of the conversation).
 */
export function trimToBudget<M extends ChatMessage>(
  entries: readonly HistoryEntry<M>[],
  budgetTokens: number,
): M[] {
  let total = 0;
  let first = entries.length;
  while (first > 0) {
    const tokens = entries[first - 1]!.tokens;
    if (total + tokens > budgetTokens) break;
    total += tokens;
    first -= 1;
  }
  const messages: M[] = new Array(entries.length - first);
  for (let i = first; i < entries.length; i += 1) messages[i - first] = entries[i]!.message;
  return messages;
}
