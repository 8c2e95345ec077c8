/**
 * The README's minimal bot (examples/minimal-bot.ts), end to end: a real discord.js Client on the
 * fake Discord (gateway + REST), the real OpenRouterClient on the fake OpenRouter. What it does
 * when things fail: one polite reply when every model is down, an answer without history when
 * the store is down, typing while the model thinks, one reply to a replayed event.
 */
import {
  DiscordSender,
  FAILURE_REPLIES,
  FastPathRouter,
  MemorySessionStore,
  OpenRouterClient,
  SessionCache,
  SessionStoreError,
  userFacingFailure,
} from 'chatlane';
import { type FakeBehaviour, FakeDiscord, FakeOpenRouter } from 'chatlane/testing';
import { type Client, Events, type Message } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createMinimalBot } from '../examples/minimal-bot.ts';
import { loginClient } from '../examples/reference-bot/discord.ts';

const TOKEN = 'minimal-bot-token';
const USER = { id: '410000000000000077', username: 'ada' };
const SIMPLE = 'openai/gpt-4o-mini';
const COMPLEX = 'anthropic/claude-3.5-haiku';

/** A shared store that is down: every call fails at once. */
class DownStore extends MemorySessionStore<unknown> {
  override async getProfile(): Promise<never> {
    throw new SessionStoreError('getProfile', new Error('ECONNREFUSED'));
  }
  override async getHistory(): Promise<never> {
    throw new SessionStoreError('getHistory', new Error('ECONNREFUSED'));
  }
  override async appendHistory(): Promise<never> {
    throw new SessionStoreError('appendHistory', new Error('ECONNREFUSED'));
  }
  override async claim(): Promise<never> {
    throw new SessionStoreError('claim', new Error('ECONNREFUSED'));
  }
}

interface Rig {
  discord: FakeDiscord;
  openRouter: FakeOpenRouter;
  client: Client<true>;
  sessions: SessionCache<unknown>;
  /** Every `answer` the bot started, by message id. */
  answers: Map<string, Promise<void>[]>;
  /** Hands a received message to the bot again (a second listener, or a replay another process gets). */
  deliverAgain(id: string): Promise<void>;
  /** Posts a DM from the user and waits until the bot has answered it. */
  say(content: string): Promise<string>;
  /** The bot's messages in the user's DM channel. */
  replies(): string[];
  close(): Promise<void>;
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function settled(answers: Map<string, Promise<void>[]>, id: string): Promise<void> {
  while (answers.get(id) === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  await Promise.all(answers.get(id) ?? []);
}

async function startRig(behaviour: FakeBehaviour, sessions = new SessionCache()): Promise<Rig> {
  const openRouter = await FakeOpenRouter.start({ defaultBehaviour: behaviour });
  const discord = await FakeDiscord.start({ token: TOKEN });
  const client = await loginClient(TOKEN, discord.apiUrl);
  const llm = new OpenRouterClient({
    apiKey: 'sk-or-v1-minimal0123456789',
    baseUrl: openRouter.baseUrl,
    models: [SIMPLE, COMPLEX],
  });
  const router = new FastPathRouter({ models: { simple: SIMPLE, complex: COMPLEX } });
  // A short typing delay, so a test sees the indicator without waiting the default 800 ms.
  const sender = new DiscordSender({ client, streamErrorNotice: userFacingFailure, typingDelayMs: 20 });
  const bot = createMinimalBot({ client, llm, router, sessions, sender });
  const answers = new Map<string, Promise<void>[]>();
  const received = new Map<string, Message>();
  client.on(Events.MessageCreate, (message: Message) => {
    received.set(message.id, message);
    answers.set(message.id, [...(answers.get(message.id) ?? []), bot.answer(message)]);
  });
  const dm = discord.dmChannelId(USER.id);
  return {
    discord,
    openRouter,
    client,
    sessions,
    answers,
    deliverAgain: (id) => bot.answer(received.get(id)!),
    async say(content) {
      const posted = await discord.injectMessage({ content, author: USER });
      await settled(answers, posted.id);
      return posted.id;
    },
    replies: () =>
      discord
        .messages(dm)
        .filter((m) => m.author.id === client.user.id)
        .map((m) => m.content),
    async close() {
      sender.close();
      await Promise.all([llm.close(), sessions.close(), client.destroy()]);
      await Promise.all([discord.close(), openRouter.close()]);
    },
  };
}

describe('the minimal bot (README) end to end', () => {
  it('shows typing while the model thinks, answers, and keeps the conversation for the next message', async () => {
    rig = await startRig({ ttftMs: 300 });
    await rig.say('hello there');
    expect(rig.replies()).toEqual([`Hello from ${SIMPLE}`]);
    const dm = rig.discord.dmChannelId(USER.id);
    const paths = rig.discord.requests.map((r) => `${r.method} ${r.path}`);
    const typing = paths.indexOf(`POST /channels/${dm}/typing`);
    expect(typing).toBeGreaterThanOrEqual(0);
    expect(typing).toBeLessThan(paths.indexOf(`POST /channels/${dm}/messages`));
    await rig.say('and again');
    const second = rig.openRouter.requests[1]!.body.messages as Array<{ role: string; content: string }>;
    expect(second).toEqual([
      { role: 'user', content: 'hello there' },
      { role: 'assistant', content: `Hello from ${SIMPLE}` },
      { role: 'user', content: 'and again' },
    ]);
  });

  it('every model down (503): exactly one polite reply, no history of the failed exchange', async () => {
    rig = await startRig({ status: 503 });
    await rig.say('is anyone there?');
    expect(rig.replies()).toEqual([FAILURE_REPLIES.unavailable]);
    expect(await rig.sessions.getHistory({ isDM: true, channelId: 'x', userId: USER.id })).toEqual([]);
  });

  it('the session store down: the answer comes without history, and the cache says why', async () => {
    const sessions = new SessionCache({ store: new DownStore() });
    const storeErrors: string[] = [];
    sessions.on('storeError', ({ operation }) => storeErrors.push(operation));
    rig = await startRig({}, sessions);
    await rig.say('hello there');
    expect(rig.replies()).toEqual([`Hello from ${SIMPLE}`]);
    expect(rig.openRouter.requests[0]!.body.messages).toEqual([{ role: 'user', content: 'hello there' }]);
    expect(storeErrors).toEqual(expect.arrayContaining(['claim', 'getHistory', 'appendHistory']));
  });

  it('a message delivered twice (second listener, replayed event) is answered once', async () => {
    rig = await startRig({});
    const id = await rig.say('hello there');
    await rig.deliverAgain(id);
    expect(rig.replies()).toEqual([`Hello from ${SIMPLE}`]);
    expect(rig.openRouter.requests).toHaveLength(1);
  });
});
