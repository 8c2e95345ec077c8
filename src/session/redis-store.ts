import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REDIS_CLAIM_SEGMENT, REDIS_INVALIDATION_CHANNEL } from '../constants.ts';
import { EventHub } from '../internal/events.ts';
import { parseOptions } from '../internal/options.ts';
import { ignoreConnectionError, whenConnected } from '../internal/redis.ts';
import { SessionStoreError } from './errors.ts';
import { ProfileTable } from './profile-table.ts';
import {
  parseInvalidation,
  parseProfileJson,
  parseProfileReply,
  parseStoredTail,
  toStoredEntry,
} from './redis-codec.ts';
import { APPEND_HISTORY, GET_HISTORY, GET_PROFILE, INDEX, TAKE_GUILD } from './redis-scripts.ts';
import { type RedisSessionStoreOptions, redisStoreSchema } from './redis-store-options.ts';
import type {
  CorruptEntry,
  GuildDeletion,
  HistoryAppendOptions,
  ProfileWriteOptions,
  SessionStore,
  SessionStoreStats,
  StoreInvalidation,
} from './store.ts';
import type { HistoryMessage } from './types.ts';

export type { RedisSessionStoreOptions } from './redis-store-options.ts';

type StoreEvents = { invalidation: StoreInvalidation; corruptEntry: CorruptEntry };

/**
 * A {@link SessionStore} in Redis, shared by every process using the same Redis and prefix.
 * Profiles are JSON strings with a Redis TTL (`SET … PX`), histories are Redis lists trimmed by a
 * Lua script, guilds are index sets. Profiles are also kept in process for `localProfileTtlMs`;
 * `deleteProfile`/`deleteGuild` publish on `<prefix>invalidate` so every other process drops its
 * local copies (and its in-flight loads are not cached).
 */
export class RedisSessionStore<P = unknown, M extends HistoryMessage = HistoryMessage>
  implements SessionStore<P, M>
{
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #ownsSubscriber: boolean;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #origin = randomUUID();
  readonly #localTtlMs: number;
  readonly #local: ProfileTable<P>;
  readonly #events = new EventHub<StoreEvents>();
  readonly #ready: Promise<void>;
  /** Bumped by every invalidation: a Redis read that raced one is not kept locally. */
  #generation = 0;
  #closing: Promise<void> | undefined;

  constructor(options: RedisSessionStoreOptions) {
    const resolved = parseOptions(redisStoreSchema, options, 'RedisSessionStore options');
    // The structural type is the public face; inside, the store speaks ioredis's API.
    this.#redis = resolved.redis as unknown as Redis;
    this.#ownsSubscriber = resolved.subscriber === undefined;
    this.#subscriber = (resolved.subscriber as unknown as Redis | undefined) ?? this.#redis.duplicate();
    this.#prefix = resolved.keyPrefix;
    this.#channel = `${resolved.keyPrefix}${REDIS_INVALIDATION_CHANNEL}`;
    this.#localTtlMs = resolved.localProfileTtlMs;
    this.#local = new ProfileTable(resolved.maxLocalProfiles, () => resolved.clock.now());
    this.#subscriber.on('message', this.#onMessage);
    this.#subscriber.on('ready', this.#onReconnect);
    if (this.#ownsSubscriber) this.#subscriber.on('error', ignoreConnectionError);
    // Subscribing once connected also works for a client with `enableOfflineQueue: false`.
    this.#ready = whenConnected(this.#subscriber).then(async () => {
      await this.#subscriber.subscribe(this.#channel);
    });
    this.#ready.catch(() => {});
  }

  /** Resolves once the invalidation channel is subscribed (rejects if subscribing failed). */
  async ready(): Promise<void> {
    try {
      await this.#ready;
    } catch (error) {
      throw new SessionStoreError('subscribe', error);
    }
  }

  async getProfile(userId: string, guildId?: string): Promise<P | undefined> {
    const local = this.#local.get(userId);
    if (local !== undefined && (guildId === undefined || this.#local.isTagged(userId, guildId))) return local;
    const generation = this.#generation;
    const key = this.#profileKey(userId);
    const reply = await this.#run('getProfile', () => GET_PROFILE.run(this.#redis, [key], []));
    const { json, ttlMs, kind } = parseProfileReply(reply);
    // A live profile read for a guild is tagged with it (for invalidateServer), in the guild's slot.
    if (guildId !== undefined && ttlMs > 0)
      await this.#index('getProfile', this.#guildUsersKey(guildId), userId, ttlMs);
    if (kind !== 'string' && kind !== 'none')
      this.#corrupt('profile', userId, `a Redis ${kind}, not a string`);
    if (json === undefined) return undefined;
    const parsed = parseProfileJson(json);
    if (!parsed) {
      this.#corrupt('profile', userId, 'not JSON');
      await this.#run('getProfile', () => this.#redis.del(this.#profileKey(userId)));
      return undefined;
    }
    const profile = parsed.value as P;
    if (generation === this.#generation && this.#localTtlMs > 0) {
      const localTtlMs = ttlMs > 0 ? Math.min(this.#localTtlMs, ttlMs) : this.#localTtlMs;
      this.#local.set(userId, profile, localTtlMs, guildId === undefined ? [] : [guildId]);
    }
    return profile;
  }

  async setProfile(userId: string, profile: P, options: ProfileWriteOptions): Promise<void> {
    if (this.#localTtlMs > 0)
      this.#local.set(userId, profile, Math.min(this.#localTtlMs, options.ttlMs), options.guildIds);
    const { ttlMs, guildIds } = options;
    await Promise.all([
      this.#run('setProfile', () =>
        this.#redis.set(this.#profileKey(userId), JSON.stringify(profile), 'PX', ttlMs),
      ),
      ...guildIds.map((id) => this.#index('setProfile', this.#guildUsersKey(id), userId, ttlMs)),
    ]);
  }

  async deleteProfile(userId: string): Promise<void> {
    this.#local.delete(userId);
    this.#generation += 1;
    const message = JSON.stringify({ origin: this.#origin, scope: 'user', id: userId, userIds: [userId] });
    await this.#run('deleteProfile', () =>
      this.#redis.multi().del(this.#profileKey(userId)).publish(this.#channel, message).exec(),
    );
  }

  async appendHistory(key: string, message: M, tokens: number, options: HistoryAppendOptions): Promise<void> {
    const { guildId, ttlMs } = options;
    const args = [toStoredEntry(message, tokens), ttlMs, options.maxMessages, options.maxTokens];
    const [reply] = await Promise.all([
      this.#run('appendHistory', () => APPEND_HISTORY.run(this.#redis, [this.#historyKey(key)], args)),
      guildId === undefined
        ? undefined
        : this.#index('appendHistory', this.#guildConversationsKey(guildId), key, ttlMs),
    ]);
    const [, dropped, kind] = reply as [number, number, string];
    if (kind !== 'list' && kind !== 'none') this.#corrupt('history', key, `a Redis ${kind}, not a list`);
    if (dropped > 0) this.#corrupt('history', key, `${dropped} element(s) not "<tokens>:<json>"`);
  }

  async getHistory(key: string, budgetTokens: number): Promise<M[]> {
    const listKey = this.#historyKey(key);
    const reply = await this.#run('getHistory', () => GET_HISTORY.run(this.#redis, [listKey], []));
    const [items, kind] = reply as [string[], string];
    if (kind !== 'list' && kind !== 'none') this.#corrupt('history', key, `a Redis ${kind}, not a list`);
    const { messages, corrupt } = parseStoredTail<M>(items, budgetTokens);
    if (corrupt.length === 0) return messages;
    for (const { reason } of corrupt) this.#corrupt('history', key, reason);
    const repair = corrupt.reduce((multi, { item }) => multi.lrem(listKey, 0, item), this.#redis.multi());
    await this.#run('getHistory', () => repair.exec());
    return messages;
  }

  async deleteHistory(key: string): Promise<void> {
    await this.#run('deleteHistory', () => this.#redis.del(this.#historyKey(key)));
  }

  async deleteGuild(guildId: string): Promise<GuildDeletion> {
    this.#generation += 1;
    const localUsers = this.#local.deleteGuild(guildId);
    const keys = [this.#guildUsersKey(guildId), this.#guildConversationsKey(guildId)];
    const reply = await this.#run('deleteGuild', () => TAKE_GUILD.run(this.#redis, keys, []));
    const [userIds, conversationKeys] = reply as [string[], string[]];
    // One DEL per key: on Redis Cluster the keys live in different slots.
    const doomed = [
      ...userIds.map((id) => this.#profileKey(id)),
      ...conversationKeys.map((k) => this.#historyKey(k)),
    ];
    await this.#run('deleteGuild', () => Promise.all(doomed.map((k) => this.#redis.del(k))));
    for (const userId of userIds) this.#local.delete(userId);
    const allUsers = [...new Set([...userIds, ...localUsers])];
    const message = JSON.stringify({ origin: this.#origin, scope: 'guild', id: guildId, userIds: allUsers });
    await this.#run('publish', () => this.#redis.publish(this.#channel, message));
    return { userIds, conversationKeys };
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const claimKey = `${this.#prefix}${REDIS_CLAIM_SEGMENT}${key}`;
    const reply = await this.#run('claim', () => this.#redis.set(claimKey, '1', 'PX', ttlMs, 'NX'));
    return reply === 'OK';
  }

  async cleanup(): Promise<number> {
    return this.#local.sweep();
  }

  onInvalidation(listener: (invalidation: StoreInvalidation) => void): () => void {
    return this.#events.on('invalidation', listener);
  }

  /** Corrupt values found on read (and repaired): wrong key types, bad JSON, malformed elements. */
  onCorruptEntry(listener: (entry: CorruptEntry) => void): () => void {
    return this.#events.on('corruptEntry', listener);
  }

  /** Sizes and counters of the in-process profile copies (Redis itself is not scanned). */
  getStats(): SessionStoreStats {
    return {
      profiles: this.#local.size,
      conversations: undefined,
      evictions: this.#local.evictions,
      expirations: this.#local.expirations,
    };
  }

  /**
   * Disconnects the subscriber connection if the store created it, else unsubscribes it (not
   * awaited); `redis` stays open. Never waits on Redis, so it returns during an outage too.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#subscriber.off('message', this.#onMessage);
    this.#subscriber.off('ready', this.#onReconnect);
    this.#events.clear();
    this.#local.clear();
    // No round trip is awaited: a stalled or unreachable Redis must not hold `close()` up.
    if (this.#ownsSubscriber) {
      // Its error listener stays: a connect attempt under way can still fail after the disconnect.
      this.#subscriber.disconnect();
      await this.#ready.catch(() => {});
    } else {
      this.#ready.then(() => this.#subscriber.unsubscribe(this.#channel)).catch(() => {});
    }
  }

  readonly #onMessage = (channel: string, message: string): void => {
    if (channel !== this.#channel) return;
    const invalidation = parseInvalidation(message);
    if (!invalidation || invalidation.origin === this.#origin) return;
    this.#generation += 1;
    for (const userId of invalidation.userIds) this.#local.delete(userId);
    if (invalidation.scope === 'guild') this.#local.deleteGuild(invalidation.id);
    const { origin: _origin, ...event } = invalidation;
    this.#events.emit('invalidation', event);
  };

  /** After a reconnect, invalidations may have been missed: drop every local copy. */
  readonly #onReconnect = (): void => {
    this.#generation += 1;
    this.#local.clear();
  };

  async #run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new SessionStoreError(operation, error);
    }
  }

  #corrupt(kind: CorruptEntry['kind'], id: string, reason: string): void {
    this.#events.emit('corruptEntry', { kind, id, reason });
  }

  #profileKey(userId: string): string {
    return `${this.#prefix}profile:${userId}`;
  }

  #historyKey(key: string): string {
    return `${this.#prefix}history:${key}`;
  }

  // A guild's two sets share the hash tag `{guildId}`: one slot, so TAKE_GUILD runs on a cluster.
  #guildUsersKey(guildId: string): string {
    return `${this.#prefix}guild:{${guildId}}:users`;
  }

  #guildConversationsKey(guildId: string): string {
    return `${this.#prefix}guild:{${guildId}}:conversations`;
  }

  /** Adds `member` to a guild index set, extending (never shortening) its TTL to `ttlMs`. */
  async #index(operation: string, setKey: string, member: string, ttlMs: number): Promise<void> {
    await this.#run(operation, () => INDEX.run(this.#redis, [setKey], [member, ttlMs]));
  }
}
