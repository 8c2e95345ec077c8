import { tailStart } from './history.ts';
import type { StoreInvalidation } from './store.ts';
import type { HistoryMessage } from './types.ts';

/** A history message as a Redis list element: `<tokens>:<message JSON>`. */
export function toStoredEntry(message: HistoryMessage, tokens: number): string {
  return `${tokens}:${JSON.stringify(message)}`;
}

/**
 * The newest stored elements within `budgetTokens`, parsed and frozen, oldest first. Token counts
 * are read from each element's prefix; only the kept elements are JSON-parsed.
 */
export function parseStoredTail<M extends HistoryMessage>(
  items: readonly string[],
  budgetTokens: number,
): M[] {
  const tokensAt = (i: number) => Number.parseInt(items[i]!, 10);
  const first = tailStart(items.length, tokensAt, budgetTokens);
  const messages: M[] = [];
  for (let i = first; i < items.length; i += 1) {
    const item = items[i]!;
    messages.push(Object.freeze(JSON.parse(item.slice(item.indexOf(':') + 1)) as M));
  }
  return messages;
}

/** The `{ json, pttl }` reply of the GET_PROFILE script. */
export function parseProfileReply(reply: unknown): { json: string | undefined; ttlMs: number } {
  const [json, ttlMs] = reply as [string | null, number];
  return { json: json ?? undefined, ttlMs };
}

/** A pub/sub invalidation message, with the id of the process that sent it. */
export interface InvalidationMessage extends StoreInvalidation {
  readonly origin: string;
}

/** Parses an invalidation message; `undefined` for anything malformed (never throws). */
export function parseInvalidation(message: string): InvalidationMessage | undefined {
  try {
    const parsed = JSON.parse(message) as Partial<InvalidationMessage>;
    const { origin, scope, id, userIds } = parsed;
    if (typeof origin !== 'string' || typeof id !== 'string' || !Array.isArray(userIds)) return undefined;
    if (scope !== 'user' && scope !== 'guild') return undefined;
    return { origin, scope, id, userIds: userIds.filter((u): u is string => typeof u === 'string') };
  } catch {
    return undefined;
  }
}
