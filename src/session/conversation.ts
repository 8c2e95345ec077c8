/** Conversation references: the one key scheme, budget kind and guild tag of a conversation. */
import { InvalidOptionsError } from '../errors.ts';
import { requireId } from './call-options.ts';
import type { HistoryKind } from './types.ts';

/**
 * Where a message was written, as a {@link SessionCache} needs it to find the conversation:
 * a direct message is one conversation per user, a guild channel one conversation per channel
 * (everyone in it shares the history).
 */
export interface ConversationRef {
  /** True for a direct message. */
  readonly isDM: boolean;
  /** The guild of a guild message (required unless `isDM`); `null`/absent for a DM. */
  readonly guildId?: string | null | undefined;
  /** The channel the message was written in. */
  readonly channelId: string;
  /** The author. */
  readonly userId: string;
}

/** What a {@link ConversationRef} resolves to. */
export interface ResolvedConversation {
  /** The history key: `dm:<userId>` or `guild:<guildId>:<channelId>`. */
  readonly key: string;
  /** The history budget that applies. */
  readonly kind: HistoryKind;
  /** The guild the conversation is tagged with (so `invalidateServer` drops it); none for a DM. */
  readonly guildId: string | undefined;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * Resolves a conversation reference: its key (`dm:<userId>` for a DM, `guild:<guildId>:<channelId>`
 * otherwise), budget kind and guild tag. Throws `InvalidOptionsError` naming each bad field.
 */
export function resolveConversation(ref: ConversationRef): ResolvedConversation {
  const issues = conversationIssues(ref);
  if (issues.length > 0) throw new InvalidOptionsError('conversation reference', issues);
  if (ref.isDM) return { key: `dm:${ref.userId}`, kind: 'dm', guildId: undefined };
  const guildId = ref.guildId as string;
  return { key: `guild:${guildId}:${ref.channelId}`, kind: 'guild', guildId };
}

/** The history key of a conversation (see {@link resolveConversation}), e.g. to log or inspect it. */
export function conversationKey(ref: ConversationRef): string {
  return resolveConversation(ref).key;
}

/** What a cache call addresses: a reference, or a key of the caller's own scheme. */
export type ConversationTarget = string | ConversationRef;

/**
 * Resolves a cache call's conversation: a reference as {@link resolveConversation}; a string key
 * as given, tagged with `guildId` (from the call's options) and without a kind of its own.
 */
export function resolveTarget(
  conversation: ConversationTarget,
  guildId: string | undefined,
): { key: string; kind: HistoryKind | undefined; guildId: string | undefined } {
  if (typeof conversation !== 'string') return resolveConversation(conversation);
  requireId('conversationKey', conversation);
  if (guildId !== undefined) requireId('guildId', guildId);
  return { key: conversation, kind: undefined, guildId };
}

function conversationIssues(ref: ConversationRef): string[] {
  if (typeof ref !== 'object' || ref === null) return [`Expected an object, got ${String(ref)}`];
  const issues: string[] = [];
  if (typeof ref.isDM !== 'boolean') issues.push(`\`isDM\`: Expected a boolean, got ${typeof ref.isDM}`);
  for (const field of ['channelId', 'userId'] as const) {
    if (!nonEmpty(ref[field]))
      issues.push(`\`${field}\`: Expected a non-empty string, got ${typeof ref[field]}`);
  }
  if (ref.isDM === false && !nonEmpty(ref.guildId)) {
    issues.push(
      `\`guildId\`: Expected a non-empty string for a guild conversation, got ${String(ref.guildId)}`,
    );
  }
  return issues;
}
