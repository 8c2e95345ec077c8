import {
  type ConversationRef,
  conversationKey,
  type GetHistoryOptions,
  type HistoryMessage,
  InvalidOptionsError,
  ProfileLoaderMissingError,
  SessionCache,
} from 'chatlane';
import { afterEach, describe, expect, it } from 'vitest';

/** One token per character, no per-message overhead: budgets become exact character counts. */
const exact = { countTokens: (text: string) => text.length, messageOverheadTokens: 0 };

const caches: SessionCache<unknown>[] = [];
function create(options: ConstructorParameters<typeof SessionCache<unknown>>[0] = {}) {
  const cache = new SessionCache<unknown>(options);
  caches.push(cache);
  return cache;
}

afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

const user = (content: string): HistoryMessage => ({ role: 'user', content });
const dm = (userId: string): ConversationRef => ({ isDM: true, guildId: null, channelId: 'dm-chan', userId });
const guild = (channelId: string, userId: string): ConversationRef => ({
  isDM: false,
  guildId: 'g1',
  channelId,
  userId,
});

describe('SessionCache conversation references', () => {
  it('a DM is one conversation per user, a guild channel one per channel (shared by its members)', async () => {
    const cache = create();
    await cache.append(dm('u1'), user('dm from u1'));
    await cache.append(guild('c1', 'u1'), user('u1 in c1'));
    await cache.append(guild('c1', 'u2'), user('u2 in c1'));
    await cache.append(guild('c2', 'u1'), user('u1 in c2'));
    expect(await cache.getHistory(dm('u1'))).toEqual([user('dm from u1')]);
    expect(await cache.getHistory({ ...dm('u1'), channelId: 'another' })).toEqual([user('dm from u1')]);
    expect(await cache.getHistory(guild('c1', 'u3'))).toEqual([user('u1 in c1'), user('u2 in c1')]);
    expect(await cache.getHistory(guild('c2', 'u2'))).toEqual([user('u1 in c2')]);
  });

  it('the key scheme is dm:<user> and guild:<guild>:<channel>, readable through the string-key API', async () => {
    const cache = create();
    expect(conversationKey(dm('u1'))).toBe('dm:u1');
    expect(conversationKey(guild('c1', 'u1'))).toBe('guild:g1:c1');
    await cache.append(guild('c1', 'u1'), user('hi'));
    expect(await cache.getHistory('guild:g1:c1', { kind: 'guild' })).toEqual([user('hi')]);
  });

  it('takes the budget from the kind of conversation', async () => {
    const cache = create({ ...exact, historyBudgets: { dm: 5, guild: 50 } });
    for (const ref of [dm('u1'), guild('c1', 'u1')]) {
      await cache.append(ref, user('0123456789'));
      await cache.append(ref, user('abc'));
    }
    expect(await cache.getHistory(dm('u1'))).toEqual([user('abc')]);
    expect(await cache.getHistory(guild('c1', 'u1'))).toHaveLength(2);
    expect(await cache.getHistory(guild('c1', 'u1'), { budgetTokens: 3 })).toEqual([user('abc')]);
  });

  it('tags guild conversations, so invalidateServer drops them (and leaves DMs)', async () => {
    const cache = create();
    await cache.append(guild('c1', 'u1'), user('in the guild'));
    await cache.append(dm('u1'), user('private'));
    const dropped = await cache.invalidateServer('g1');
    expect(dropped.conversationKeys).toEqual(['guild:g1:c1']);
    expect(await cache.getHistory(guild('c1', 'u1'))).toEqual([]);
    expect(await cache.getHistory(dm('u1'))).toEqual([user('private')]);
  });

  it('clearHistory takes a reference too', async () => {
    const cache = create();
    await cache.append(dm('u1'), user('forget me'));
    await cache.clearHistory(dm('u1'));
    expect(await cache.getHistory(dm('u1'))).toEqual([]);
  });

  it('rejects a bad reference with a typed error naming each field', async () => {
    const cache = create();
    const noGuild = { isDM: false, channelId: 'c1', userId: 'u1' } as ConversationRef;
    await expect(cache.append(noGuild, user('x'))).rejects.toThrow(InvalidOptionsError);
    await expect(cache.getHistory(noGuild)).rejects.toThrow(/guildId/);
    const bad = { isDM: 'yes', channelId: '', userId: 'u1' } as unknown as ConversationRef;
    const error = await cache.getHistory(bad).catch((e: unknown) => e);
    expect((error as InvalidOptionsError).issues).toEqual([
      '`isDM`: Expected a boolean, got string',
      '`channelId`: Expected a non-empty string, got string',
    ]);
    expect(() => conversationKey(null as unknown as ConversationRef)).toThrow(InvalidOptionsError);
  });

  it('a string key still needs its kind', async () => {
    const cache = create();
    await expect(cache.getHistory('dm:1', {} as GetHistoryOptions)).rejects.toThrow(/kind/);
  });
});

describe('SessionCache without loadProfile (history only)', () => {
  it('keeps histories and answers getProfile with a typed, non-retryable error', async () => {
    const cache = create();
    await cache.append(dm('u1'), user('hi'));
    expect(await cache.getHistory(dm('u1'))).toEqual([user('hi')]);
    const error = await cache.getProfile('u1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileLoaderMissingError);
    expect(error).toMatchObject({ code: 'SESSION_NO_PROFILE_LOADER', retryable: false });
    expect(cache.getStats()).toMatchObject({ loads: 0, inflight: 0 });
    await cache.invalidateUser('u1'); // nothing to mark stale: still fine
  });

  it('can be created with no options at all', async () => {
    const cache = new SessionCache();
    caches.push(cache);
    expect(await cache.claimMessage('m1')).toBe(true);
    expect(await cache.claimMessage('m1')).toBe(false);
  });
});
