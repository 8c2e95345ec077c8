/**
 * The overhaul's before/after table (issue #13), reproduced on the fakes with realistic latencies:
 * time to first token 600 ms, 50 tokens/s, 150-token answers, a Discord round trip of 80 ms, a
 * profile store and a history store of 40 ms each.
 *
 * - **before**: a bot written the usual way — the `openai` SDK (its default retries), not
 *   streaming; the profile, then the history; one message (discord.js REST) with the whole text.
 * - **after**: the chatlane reference pipeline (`examples/reference-bot`), default options.
 *
 * Messages arrive every 150 ms, each in its own channel. Measured from the message to the first
 * visible text and to the complete reply (Discord's answer time: request arrival + latency), p50
 * and p95, with no faults and with 30 % injected transient faults: 503s from OpenRouter on every
 * model, and 500s on 30 % of Discord message writes (half of them after the write was applied,
 * so the reply is there but its answer was lost).
 *
 *   npx node --conditions=chatlane-source bench/before-after.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemorySessionStore, type SessionStore } from 'chatlane';
import {
  FakeDiscord,
  type FakeDiscordRequest,
  FakeOpenRouter,
  seededRandom,
  snowflake,
} from 'chatlane/testing';
import { REST } from 'discord.js';
import OpenAI from 'openai';
import { assemble } from '../examples/reference-bot/assemble.ts';
import { loadConfig } from '../examples/reference-bot/config.ts';
import { answerMessage, type IncomingMessage, type Profile } from '../examples/reference-bot/pipeline.ts';
import { scaled } from './scale.ts';

const TOKEN = 'bench-token';
const MODELS = ['bench/primary', 'bench/fallback'];
const TTFT_MS = 600;
const TOKEN_INTERVAL_MS = 20; // 50 tokens/s
const ANSWER_TOKENS = scaled(150, 10);
const DISCORD_MS = 80;
const STORE_MS = 40;
const MESSAGES = scaled(40, 3);
const ARRIVAL_EVERY_MS = 150;
const USERS = 8;
const FAULT_RATIO = 0.3;
const GUILD_ID = '900000000000000001';
const WORDS = ['the', 'breaker', 'opens', 'after', 'two', 'failures', 'and', 'one', 'probe', 'decides'];
const ANSWER = Array.from({ length: ANSWER_TOKENS }, (_, i) => WORDS[i % WORDS.length]).join(' ');
const QUESTION = 'Can you summarise what a circuit breaker does, in two sentences?';

/** One message's outcome, in ms from its arrival. */
interface Outcome {
  firstVisibleMs: number | undefined;
  completeMs: number | undefined;
  /** Messages holding the whole answer (more than one: answered twice). */
  copies: number;
}

type Bot = (msg: IncomingMessage) => Promise<void>;

/** A store whose reads and writes take `STORE_MS`, as a network store does. */
function slowStore(): SessionStore<Profile> {
  const store = new MemorySessionStore<Profile>();
  const slow = new Set(['getProfile', 'setProfile', 'getHistory', 'appendHistory']);
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (!slow.has(String(key))) return value.bind(target);
      return async (...args: unknown[]) => {
        await sleep(STORE_MS);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The usual bot: openai SDK, no streaming, profile then history, one reply with the whole text. */
function beforeBot(openRouter: FakeOpenRouter, rest: REST): { bot: Bot; close(): Promise<void> } {
  const openai = new OpenAI({ apiKey: 'bench', baseURL: openRouter.baseUrl });
  const history = new Map<string, Array<{ role: 'user' | 'assistant'; content: string }>>();
  const bot: Bot = async (msg) => {
    try {
      await sleep(STORE_MS); // the profile
      await sleep(STORE_MS); // then the history
      const past = history.get(msg.channelId) ?? [];
      const completion = await openai.chat.completions.create({
        model: MODELS[0]!,
        messages: [
          { role: 'system', content: 'You are a helpful bot.' },
          ...past,
          { role: 'user', content: msg.content },
        ],
      });
      const text = completion.choices[0]?.message.content ?? '';
      await rest.post(`/channels/${msg.channelId}/messages`, { body: { content: text } });
      await sleep(STORE_MS);
      history.set(msg.channelId, [
        ...past,
        { role: 'user', content: msg.content },
        { role: 'assistant', content: text },
      ]);
    } catch {
      // The usual `catch (e) { console.error(e) }`: the user gets nothing.
    }
  };
  return { bot, close: async () => {} };
}

async function afterBot(
  openRouter: FakeOpenRouter,
  rest: REST,
): Promise<{ bot: Bot; close(): Promise<void> }> {
  const logDir = mkdtempSync(join(tmpdir(), 'chatlane-before-after-'));
  const config = loadConfig({
    CHATLANE_LOG_DIR: logDir,
    OPENROUTER_MODELS: MODELS.join(','),
    MODEL_SIMPLE: MODELS[0],
    MODEL_MODERATE: MODELS[0],
    MODEL_COMPLEX: MODELS[0],
  });
  const parts = await assemble({
    config,
    rest,
    openRouterApiKey: 'bench',
    openRouterBaseUrl: openRouter.baseUrl,
    loadProfile: async () => {
      await sleep(STORE_MS);
      return { displayName: 'Bench', locale: 'en' };
    },
    sessionOptions: { store: slowStore() },
    console: false,
  });
  return {
    bot: async (msg) => {
      await answerMessage(parts, msg, new AbortController().signal);
    },
    close: async () => {
      await parts.close();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/**
 * The fake's latency hook, which sees each request before it is answered: 30 % of message writes
 * get a scripted 500 (half of them after the write was applied).
 */
function discordFaults(discord: () => FakeDiscord): (request: FakeDiscordRequest) => number {
  const random = seededRandom(11);
  return (request) => {
    if (/^\/channels\/\d+\/messages(\/\d+)?$/.test(request.path) && random() < FAULT_RATIO) {
      const afterApply = random() < 0.5;
      discord().scriptError({
        method: request.method,
        path: new RegExp(`^${request.path}$`),
        status: 500,
        afterApply,
      });
    }
    return DISCORD_MS;
  };
}

/** What the user saw in `channelId`, from the fake's log of answered writes. */
function outcomeOf(discord: FakeDiscord, channelId: string, arrivedAt: number): Outcome {
  const writes = discord.requests.filter(
    (r) =>
      r.path.startsWith(`/channels/${channelId}/messages`) &&
      r.status >= 200 &&
      r.status < 300 &&
      typeof (r.body as { content?: unknown } | undefined)?.content === 'string' &&
      (r.body as { content: string }).content.trim() !== '',
  );
  const seen = (r: { at: number }) => r.at + DISCORD_MS - arrivedAt;
  const copies = discord.messages(channelId).filter((m) => m.content === ANSWER).length;
  const whole = writes.filter((r) => (r.body as { content: string }).content === ANSWER);
  return {
    firstVisibleMs: writes[0] ? seen(writes[0]) : undefined,
    completeMs: copies > 0 && whole.length > 0 ? seen(whole.at(-1)!) : undefined,
    copies,
  };
}

function percentile(values: number[], p: number): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** One run: a fresh pair of fakes, `MESSAGES` messages arriving every 150 ms. */
async function run(which: 'before' | 'after', faults: boolean) {
  const channels = Array.from({ length: MESSAGES }, () => ({ id: snowflake() }));
  const openRouter = await FakeOpenRouter.start({
    record: false,
    defaultBehaviour: {
      reply: ANSWER,
      ttftMs: TTFT_MS,
      tokenIntervalMs: TOKEN_INTERVAL_MS,
      ...(faults ? { failureRatio: FAULT_RATIO, seed: 7 } : {}),
    },
  });
  const discord: FakeDiscord = await FakeDiscord.start({
    token: TOKEN,
    latencyMs: faults ? discordFaults(() => discord) : DISCORD_MS,
    guilds: [{ id: GUILD_ID, channels }],
  });
  const rest = new REST({ api: discord.apiUrl }).setToken(TOKEN);
  const { bot, close } = which === 'before' ? beforeBot(openRouter, rest) : await afterBot(openRouter, rest);
  try {
    const arrivals: number[] = [];
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < MESSAGES; i += 1) {
      const msg: IncomingMessage = {
        id: snowflake(),
        channelId: channels[i]!.id,
        guildId: GUILD_ID,
        authorId: `61000000000000000${i % USERS}`,
        authorName: 'bench',
        content: QUESTION,
        isDM: false,
        mentionsBot: true,
        hasAttachments: false,
      };
      arrivals.push(performance.timeOrigin + performance.now());
      pending.push(bot(msg));
      await sleep(ARRIVAL_EVERY_MS);
    }
    await Promise.all(pending);
    return channels.map((channel, i) => outcomeOf(discord, channel.id, arrivals[i]!));
  } finally {
    await close();
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await Promise.all([openRouter.close(), discord.close()]);
  }
}

/** One row of the table. */
interface Row {
  bot: string;
  faults: string;
  firstP50: number | undefined;
  firstP95: number | undefined;
  completeP50: number | undefined;
  completeP95: number | undefined;
  /** Messages without the whole answer (an apology, half a reply, or nothing). */
  notAnswered: number;
  /** Messages answered more than once. */
  duplicated: number;
  messages: number;
}

function summarise(bot: string, faults: string, outcomes: Outcome[]): Row {
  const first = outcomes.flatMap((o) => (o.firstVisibleMs === undefined ? [] : [o.firstVisibleMs]));
  const complete = outcomes.flatMap((o) => (o.completeMs === undefined ? [] : [o.completeMs]));
  return {
    bot,
    faults,
    firstP50: percentile(first, 50),
    firstP95: percentile(first, 95),
    completeP50: percentile(complete, 50),
    completeP95: percentile(complete, 95),
    notAnswered: outcomes.filter((o) => o.copies === 0).length,
    duplicated: outcomes.filter((o) => o.copies > 1).length,
    messages: outcomes.length,
  };
}

const BEFORE = 'before: openai SDK, no streaming, stores one after the other, one reply';
const AFTER = 'after: chatlane reference pipeline';

/** Runs the before/after comparison. */
export async function runBeforeAfterBench(): Promise<{ markdown: string; data: Row[] }> {
  const rows: Row[] = [];
  for (const faults of [false, true]) {
    const label = faults ? '30 % transient' : 'none';
    rows.push(summarise(BEFORE, label, await run('before', faults)));
    rows.push(summarise(AFTER, label, await run('after', faults)));
  }
  const s = (ms: number | undefined) => (ms === undefined ? '—' : (ms / 1000).toFixed(2));
  const lines = [
    `TTFT ${TTFT_MS} ms, ${1000 / TOKEN_INTERVAL_MS} tokens/s, ${ANSWER_TOKENS}-token answers, Discord round trip ${DISCORD_MS} ms, profile and history stores ${STORE_MS} ms each; ${MESSAGES} messages, one every ${ARRIVAL_EVERY_MS} ms.`,
    '',
    '| bot | faults | first visible text p50 s | p95 s | complete reply p50 s | p95 s | not answered | answered twice |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.bot} | ${r.faults} | ${s(r.firstP50)} | ${s(r.firstP95)} | ${s(r.completeP50)} | ${s(r.completeP95)} | ${r.notAnswered}/${r.messages} | ${r.duplicated} |`,
    ),
    '',
    '"Not answered": no message holds the whole answer (nothing, a half reply, or — after — a polite apology). Faults: 30 % of OpenRouter requests answer 503 (every model), 30 % of Discord message writes answer 500, half of those after the write was applied.',
  ];
  return { markdown: lines.join('\n'), data: rows };
}

if (import.meta.main) console.log((await runBeforeAfterBench()).markdown);
