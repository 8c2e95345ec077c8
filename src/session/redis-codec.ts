import type { HistoryEntry, StoreInvalidation } from './store.ts';
import type { ChatMessage } from './types.ts';

/** A history entry as a Redis list element: `<tokens>:<message JSON>`. */
export function toStoredEntry(entry: HistoryEntry<ChatMessage>): string {
  return `${entry.tokens}:${JSON.stringify(entry.message)}`;
}

/** Parses a Redis list element written by {@link toStoredEntry}; the message comes back frozen. */
export function parseStoredEntry<M extends ChatMessage>(item: string): HistoryEntry<M> {
  const colon = item.indexOf(':');
  return {
    tokens: Number(item.slice(0, colon)),
    message: Object.freeze(JSON.parse(item.slice(colon + 1)) as M),
  };
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
