import { z } from 'zod';
import type { StoreInvalidation } from './store.ts';
import type { HistoryMessage } from './types.ts';

/** A history message as a Redis list element: `<tokens>:<message JSON>`. */
export function toStoredEntry(message: HistoryMessage, tokens: number): string {
  return `${tokens}:${JSON.stringify(message)}`;
}

/** A stored history message: the OpenAI chat shape, extra fields kept. */
const storedMessageSchema = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.string(),
});

const ENTRY_PREFIX = /^(\d+):/;

/** The newest valid messages within a budget, and the elements found corrupt on the way. */
export interface StoredTail<M extends HistoryMessage> {
  /** Parsed and frozen, oldest first. */
  readonly messages: M[];
  /** Corrupt elements (to remove from the list), with what was wrong (never the content). */
  readonly corrupt: readonly { readonly item: string; readonly reason: string }[];
}

/**
 * The newest stored elements within `budgetTokens`, walking newest → oldest and stopping at the
 * first valid one that does not fit; each is validated (token prefix, JSON, message shape with
 * zod) and a corrupt one is skipped and reported instead of breaking the read or the budget.
 * Elements older than the first that does not fit are not parsed.
 */
export function parseStoredTail<M extends HistoryMessage>(
  items: readonly string[],
  budgetTokens: number,
): StoredTail<M> {
  const messages: M[] = [];
  const corrupt: { item: string; reason: string }[] = [];
  let total = 0;
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const item = items[i]!;
    const prefix = ENTRY_PREFIX.exec(item);
    if (!prefix) {
      corrupt.push({ item, reason: `element ${i}: not "<tokens>:<json>"` });
      continue;
    }
    const message = parseMessage(item.slice(prefix[0].length));
    if (typeof message === 'string') {
      corrupt.push({ item, reason: `element ${i}: ${message}` });
      continue;
    }
    const tokens = Number(prefix[1]);
    if (total + tokens > budgetTokens) break;
    total += tokens;
    messages.push(Object.freeze(message) as M);
  }
  return { messages: messages.reverse(), corrupt };
}

/** The message, or what is wrong with it. */
function parseMessage(json: string): HistoryMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'not JSON';
  }
  const result = storedMessageSchema.safeParse(value);
  if (!result.success) return `not a chat message (${result.error.issues.map((i) => i.message).join('; ')})`;
  return value as HistoryMessage;
}

/** The `{ json, pttl, type }` reply of the GET_PROFILE script. */
export function parseProfileReply(reply: unknown): { json: string | undefined; ttlMs: number; kind: string } {
  const [json, ttlMs, kind] = reply as [string | null, number, string];
  return { json: json ?? undefined, ttlMs, kind };
}

/** A stored profile's JSON parsed, or `undefined` when it is not JSON. */
export function parseProfileJson(json: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(json) };
  } catch {
    return undefined;
  }
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
