import { estimateTokens, type HistoryMessage, InvalidOptionsError, SessionCache } from 'chatlane';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterEach, describe, expect, it, vi } from 'vitest';

const loadProfile = async (userId: string) => ({ id: userId });
/** One token per character, no per-message overhead: budgets become exact character counts. */
const exact = { countTokens: (text: string) => text.length, messageOverheadTokens: 0 };

const caches: SessionCache<{ id: string }>[] = [];
function create(options: Partial<ConstructorParameters<typeof SessionCache<{ id: string }>>[0]> = {}) {
  const cache = new SessionCache({ loadProfile, ...options });
  caches.push(cache);
  return cache;
}

afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
  vi.useRealTimers();
});

const user = (content: string): HistoryMessage => ({ role: 'user', content });
const assistant = (content: string): HistoryMessage => ({ role: 'assistant', content });

describe('SessionCache history', () => {
  it('returns messages oldest → newest, in the OpenAI chat shape', async () => {
    const cache = create();
    await cache.append('dm:1', { role: 'system', content: 'You are terse.' });
    await cache.append('dm:1', user('hi'));
    await cache.append('dm:1', { role: 'assistant', content: 'hello', name: 'bot' });
    const history = await cache.getHistory('dm:1', { kind: 'dm' });
    expect(history).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello', name: 'bot' },
    ]);
    // Type-level: the history can be passed straight to the OpenAI SDK.
    const forLlm: ChatCompletionMessageParam[] = history;
    expect(forLlm).toHaveLength(3);
    expect(await cache.getHistory('unknown', { kind: 'guild' })).toEqual([]);
  });

  it('trims newest-first at the exact budget boundary', async () => {
    const cache = create(exact);
    for (const content of ['aaaa', 'bbb', 'cc', 'd']) await cache.append('c', user(content));
    const contents = async (budgetTokens: number) =>
      (await cache.getHistory('c', { kind: 'dm', budgetTokens })).map((m) => m.content);
    expect(await contents(10)).toEqual(['aaaa', 'bbb', 'cc', 'd']); // 4+3+2+1 = 10: all fit exactly
    expect(await contents(9)).toEqual(['bbb', 'cc', 'd']); // one short: the oldest goes
    expect(await contents(6)).toEqual(['bbb', 'cc', 'd']);
    expect(await contents(5)).toEqual(['cc', 'd']);
    expect(await contents(1)).toEqual(['d']);
    expect(await contents(0)).toEqual([]);
  });

  it('stops at the first message that does not fit (no older message is pulled in past it)', async () => {
    const cache = create(exact);
    for (const content of ['a', 'b'.repeat(50), 'c']) await cache.append('k', user(content));
    const history = await cache.getHistory('k', { kind: 'dm', budgetTokens: 10 });
    expect(history.map((m) => m.content)).toEqual(['c']);
  });

  it('uses the 800 DM / 1200 guild budgets by default', async () => {
    const cache = create(exact);
    for (let i = 0; i < 30; i += 1) await cache.append('k', assistant(String(i % 10).repeat(100)));
    const dm = await cache.getHistory('k', { kind: 'dm' });
    const guild = await cache.getHistory('k', { kind: 'guild' });
    expect(dm).toHaveLength(8);
    expect(guild).toHaveLength(12);
    expect(guild.slice(-8)).toEqual(dm);
  });

  it('counts the per-message overhead (4 tokens by default) with the default estimator', async () => {
    const cache = create();
    const message = user('The quick brown fox jumps over the lazy dog.');
    await cache.append('k', message);
    const cost = estimateTokens(message.content) + 4;
    expect(await cache.getHistory('k', { kind: 'dm', budgetTokens: cost })).toHaveLength(1);
    expect(await cache.getHistory('k', { kind: 'dm', budgetTokens: cost - 1 })).toHaveLength(0);
  });

  it('stores at most the larger budget of tokens and maxMessagesPerConversation messages', async () => {
    const cache = create({ ...exact, historyBudgets: { dm: 10, guild: 20 }, maxMessagesPerConversation: 5 });
    for (let i = 0; i < 10; i += 1) await cache.append('k', user(`${i}${i}`));
    const all = await cache.getHistory('k', { kind: 'guild', budgetTokens: 1_000 });
    expect(all.map((m) => m.content)).toEqual(['55', '66', '77', '88', '99']);
    for (let i = 0; i < 3; i += 1) await cache.append('big', user('x'.repeat(8)));
    const big = await cache.getHistory('big', { kind: 'guild', budgetTokens: 1_000 });
    expect(big).toHaveLength(2); // 16 of 20 tokens; a third message would make 24
    await cache.append('huge', user('y'.repeat(50)));
    expect(await cache.getHistory('huge', { kind: 'guild', budgetTokens: 1_000 })).toHaveLength(1); // newest stays
    expect(await cache.getHistory('huge', { kind: 'guild' })).toHaveLength(0); // but does not fit a budget
  });

  it('stores a frozen copy: mutating the appended object changes nothing', async () => {
    const cache = create();
    const message = { role: 'user' as const, content: 'original' };
    await cache.append('k', message);
    message.content = 'changed';
    const [stored] = await cache.getHistory('k', { kind: 'dm' });
    expect(stored!.content).toBe('original');
    expect(Object.isFrozen(stored)).toBe(true);
  });

  it('rejects malformed messages and options with InvalidOptionsError', async () => {
    const cache = create();
    await expect(cache.append('k', { role: 'tool', content: 'x' } as never)).rejects.toBeInstanceOf(
      InvalidOptionsError,
    );
    await expect(cache.append('k', { role: 'user', content: 42 } as never)).rejects.toThrow(/content/);
    await expect(cache.getHistory('k', { kind: 'voice' as never })).rejects.toBeInstanceOf(
      InvalidOptionsError,
    );
    await expect(cache.getHistory('k', { kind: 'dm', budgetTokens: -1 })).rejects.toThrow(/budgetTokens/);
    await expect(cache.append('', user('x'))).rejects.toThrow(/conversationKey/);
  });

  it('invalidateServer drops the conversations tied to that guild only', async () => {
    const cache = create();
    await cache.append('g1:chan1', user('a'), { guildId: 'g1' });
    await cache.append('g1:chan2', user('b'), { guildId: 'g1' });
    await cache.append('g2:chan1', user('c'), { guildId: 'g2' });
    await cache.append('dm:7', user('d'));
    const dropped = await cache.invalidateServer('g1');
    expect([...dropped.conversationKeys].sort()).toEqual(['g1:chan1', 'g1:chan2']);
    expect(await cache.getHistory('g1:chan1', { kind: 'guild' })).toEqual([]);
    expect(await cache.getHistory('g2:chan1', { kind: 'guild' })).toHaveLength(1);
    expect(await cache.getHistory('dm:7', { kind: 'dm' })).toHaveLength(1);
  });

  it('clearHistory drops one conversation', async () => {
    const cache = create();
    await cache.append('k', user('x'));
    await cache.clearHistory('k');
    expect(await cache.getHistory('k', { kind: 'dm' })).toEqual([]);
  });

  it('an idle conversation expires after historyTtlMs and the cleanup removes it', async () => {
    vi.useFakeTimers();
    const cache = create({ historyTtlMs: 90_000 });
    await cache.append('idle', user('x'));
    await cache.append('busy', user('x'));
    await vi.advanceTimersByTimeAsync(60_000);
    await cache.append('busy', user('y')); // refreshes its TTL
    expect(cache.getStats().conversations).toBe(2);
    await vi.advanceTimersByTimeAsync(60_000); // second cleanup, at 120 s: idle (expired at 90 s) goes
    expect(cache.getStats()).toMatchObject({ conversations: 1, expirations: 1 });
    expect(await cache.getHistory('busy', { kind: 'dm' })).toHaveLength(2);
    expect(await cache.getHistory('idle', { kind: 'dm' })).toEqual([]);
  });

  it('counts appends and reads', async () => {
    const cache = create();
    await cache.append('k', user('x'));
    await cache.getHistory('k', { kind: 'dm' });
    expect(cache.getStats()).toMatchObject({ appends: 1, historyReads: 1, conversations: 1 });
  });
});
