import QuickLRU from 'quick-lru';
import { z } from 'zod';
import { SESSION_DEDUP_MAX_ENTRIES, SESSION_MAX_CONVERSATIONS, SESSION_MAX_PROFILES } from '../constants.ts';
import { type Clock, clockOption, systemClock } from '../internal/clock.ts';
import { parseOptions } from '../internal/options.ts';
import { ClaimTable } from './claim-table.ts';
import { tailStart } from './history.ts';
import { ProfileTable } from './profile-table.ts';
import type {
  GuildDeletion,
  HistoryAppendOptions,
  ProfileWriteOptions,
  SessionStore,
  SessionStoreStats,
  StoreInvalidation,
} from './store.ts';
import type { HistoryMessage } from './types.ts';

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Profiles kept at most (quick-lru `maxSize`). @default 10000 (SESSION_MAX_PROFILES) */
  maxProfiles?: number;
  /** Conversations kept at most (quick-lru `maxSize`). @default 10000 (SESSION_MAX_CONVERSATIONS) */
  maxConversations?: number;
  /** Keys held by `claim()` at most (quick-lru `maxSize`). @default 10000 (SESSION_DEDUP_MAX_ENTRIES) */
  maxClaims?: number;
  /** Clock for TTLs (`ManualClock` in tests). @default the real clock */
  clock?: Clock;
}

export const memoryStoreOptionsSchema = z.strictObject({
  maxProfiles: z.number().int().positive().default(SESSION_MAX_PROFILES),
  maxConversations: z.number().int().positive().default(SESSION_MAX_CONVERSATIONS),
  maxClaims: z.number().int().positive().default(SESSION_DEDUP_MAX_ENTRIES),
  clock: clockOption(systemClock),
});

/** Messages and their token counts in two parallel arrays (no wrapper object per message). */
interface Conversation<M extends HistoryMessage> {
  messages: M[];
  tokens: number[];
  total: number;
  expiresAt: number;
  guildId: string | undefined;
}

/**
 * The default {@link SessionStore}: two quick-lru tables in this process (profiles,
 * conversations), each entry with its own expiry. Note quick-lru keeps between `maxSize` and
 * 2 × `maxSize` entries (its two-generation algorithm), so size memory for twice the bound.
 * Nothing is shared between processes: use {@link RedisSessionStore} for that.
 */
export class MemorySessionStore<P = unknown, M extends HistoryMessage = HistoryMessage>
  implements SessionStore<P, M>
{
  readonly #profiles: ProfileTable<P>;
  readonly #conversations: QuickLRU<string, Conversation<M>>;
  readonly #claims: ClaimTable;
  readonly #clock: () => number;
  #conversationEvictions = 0;
  #conversationExpirations = 0;

  constructor(options: MemorySessionStoreOptions = {}) {
    const resolved = parseOptions(memoryStoreOptionsSchema, options, 'MemorySessionStore options');
    const clock = resolved.clock;
    this.#clock = () => clock.now();
    this.#profiles = new ProfileTable(resolved.maxProfiles, this.#clock);
    this.#claims = new ClaimTable(resolved.maxClaims, this.#clock);
    this.#conversations = new QuickLRU({
      maxSize: resolved.maxConversations,
      // quick-lru also reports a key re-set while its old copy was rotating out: not an eviction.
      onEviction: (key, conversation) => {
        if (this.#conversations.peek(key) === conversation) this.#conversationEvictions += 1;
      },
    });
  }

  async getProfile(userId: string, guildId?: string): Promise<P | undefined> {
    const profile = this.#profiles.get(userId);
    if (profile !== undefined && guildId !== undefined) this.#profiles.tag(userId, guildId);
    return profile;
  }

  async setProfile(userId: string, profile: P, options: ProfileWriteOptions): Promise<void> {
    this.#profiles.set(userId, profile, options.ttlMs, options.guildIds);
  }

  async deleteProfile(userId: string): Promise<void> {
    this.#profiles.delete(userId);
  }

  async appendHistory(key: string, message: M, tokens: number, options: HistoryAppendOptions): Promise<void> {
    const expiresAt = this.#clock() + options.ttlMs;
    let conversation = this.#liveConversation(key);
    if (!conversation) {
      conversation = { messages: [], tokens: [], total: 0, expiresAt, guildId: options.guildId };
      this.#conversations.set(key, conversation);
    }
    conversation.expiresAt = expiresAt;
    if (options.guildId !== undefined) conversation.guildId = options.guildId;
    conversation.messages.push(message);
    conversation.tokens.push(tokens);
    conversation.total += tokens;
    trimConversation(conversation, options);
  }

  async getHistory(key: string, budgetTokens: number): Promise<M[]> {
    const conversation = this.#liveConversation(key);
    if (!conversation) return [];
    const { messages, tokens } = conversation;
    return messages.slice(tailStart(messages.length, (i) => tokens[i]!, budgetTokens));
  }

  async deleteHistory(key: string): Promise<void> {
    this.#conversations.delete(key);
  }

  async deleteGuild(guildId: string): Promise<GuildDeletion> {
    const conversationKeys: string[] = [];
    for (const [key, conversation] of this.#conversations) {
      if (conversation.guildId === guildId) conversationKeys.push(key);
    }
    for (const key of conversationKeys) this.#conversations.delete(key);
    return { userIds: this.#profiles.deleteGuild(guildId), conversationKeys };
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return this.#claims.claim(key, ttlMs);
  }

  async cleanup(): Promise<number> {
    const now = this.#clock();
    const expired: string[] = [];
    for (const [key, conversation] of this.#conversations)
      if (conversation.expiresAt <= now) expired.push(key);
    for (const key of expired) this.#conversations.delete(key);
    this.#conversationExpirations += expired.length;
    return expired.length + this.#profiles.sweep();
  }

  /** In-process only: there are no other processes to hear from. */
  onInvalidation(_listener: (invalidation: StoreInvalidation) => void): () => void {
    return () => {};
  }

  getStats(): SessionStoreStats {
    return {
      profiles: this.#profiles.size,
      conversations: this.#conversations.size,
      evictions: this.#profiles.evictions + this.#conversationEvictions,
      expirations: this.#profiles.expirations + this.#conversationExpirations,
    };
  }

  async close(): Promise<void> {
    this.#profiles.clear();
    this.#conversations.clear();
    this.#claims.clear();
  }

  #liveConversation(key: string): Conversation<M> | undefined {
    const conversation = this.#conversations.get(key);
    if (conversation === undefined) return undefined;
    if (conversation.expiresAt > this.#clock()) return conversation;
    this.#conversations.delete(key);
    this.#conversationExpirations += 1;
    return undefined;
  }
}

/** Drops the oldest messages past the message or token limit; the newest message always stays. */
function trimConversation<M extends HistoryMessage>(
  conversation: Conversation<M>,
  limits: HistoryAppendOptions,
): void {
  const { messages, tokens } = conversation;
  const byTokens = tailStart(messages.length, (i) => tokens[i]!, limits.maxTokens, true);
  const drop = Math.max(byTokens, messages.length - limits.maxMessages);
  if (drop === 0) return;
  for (let i = 0; i < drop; i += 1) conversation.total -= tokens[i]!;
  messages.splice(0, drop);
  tokens.splice(0, drop);
}
