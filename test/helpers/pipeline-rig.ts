/**
 * The reference bot's pipeline (`answerMessage`) with its real parts, wired to the fake Discord
 * REST API (through a real discord.js `REST`) and the fake OpenRouter — without a gateway, so a
 * test can push thousands of messages straight into the pipeline and then check, per message,
 * what ended up on the fake Discord.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAILURE_REPLIES, type LogEvent } from 'chatlane';
import {
  type FakeBehaviour,
  FakeDiscord,
  type FakeDiscordMessage,
  type FakeDiscordOptions,
  FakeOpenRouter,
} from 'chatlane/testing';
import { REST } from 'discord.js';
import { afterEach, beforeEach, expect } from 'vitest';
import { type Assembled, type AssembleInput, assemble } from '../../examples/reference-bot/assemble.ts';
import { type BotConfig, loadConfig } from '../../examples/reference-bot/config.ts';
import {
  answerMessage,
  type IncomingMessage,
  type PipelineOutcome,
} from '../../examples/reference-bot/pipeline.ts';

const TOKEN = 'rig-token';
/** discord.js caps a REST at 50 requests/s by default (Discord's global limit); lift it for tests. */
const REST_REQUESTS_PER_SECOND = 1_000_000;

/** Replies the fake OpenRouter gives: `ok <tag>` where the tag is the user's last message's first word. */
export function tagOf(content: string): string {
  return content.split(' ')[0] ?? '';
}

/** The answer the default fake behaviour gives to a message (see {@link echoBehaviour}). */
export function expectedReply(msg: IncomingMessage): string {
  return `ok ${tagOf(msg.content)}`;
}

/** A fake OpenRouter behaviour answering `ok <tag>` (streamed as two tokens). */
export function echoBehaviour(extra: FakeBehaviour = {}): FakeBehaviour {
  return {
    ...extra,
    reply: (request) => {
      const messages = request.body.messages as Array<{ role: string; content: string }>;
      return `ok ${tagOf(messages.at(-1)?.content ?? '')}`;
    },
  };
}

export interface RigOptions {
  openRouter?: FakeBehaviour;
  discord?: Omit<FakeDiscordOptions, 'token'>;
  /** Guild text channels to create. @default 1 */
  guildChannels?: number;
  assemble?: Pick<AssembleInput, 'llmOptions' | 'senderOptions' | 'sessionOptions'>;
  /** Extra environment for `loadConfig` (e.g. `SESSION_REDIS_URL`, `LOG_LEVEL`). @default {} */
  env?: Record<string, string>;
  /** Log directory, kept after `close()` (the caller owns it). @default a temporary one, removed on close */
  logDir?: string;
  /** Console output of the bot's logger. @default none */
  console?: NodeJS.WritableStream;
  /** The Discord bot token and OpenRouter key (both registered as the logger's secrets). @default rig values, the token not registered */
  secrets?: { discordToken: string; openRouterApiKey: string };
}

export interface Rig {
  config: BotConfig;
  discord: FakeDiscord;
  openRouter: FakeOpenRouter;
  rest: REST;
  parts: Assembled;
  guildId: string;
  channelIds: string[];
  /** msg_id of every `pipeline_complete` event, in order (duplicates kept, to be counted). */
  completed: string[];
  /** Events other than `pipeline_complete`, counted by name. */
  eventCounts: Map<string, number>;
  /** Posts a guild message mentioning the bot in channel `channel` (index into `channelIds`). */
  guildMessage(channel: number, authorId: string, content: string): Promise<IncomingMessage>;
  /** Posts a DM from `authorId`. */
  dmMessage(authorId: string, content: string): Promise<IncomingMessage>;
  answer(msg: IncomingMessage): Promise<PipelineOutcome>;
  /** Messages the bot posted that reply to `msg` (current state, after edits). */
  repliesTo(msg: IncomingMessage): FakeDiscordMessage[];
  /** Messages the bot posted in a channel, oldest first. */
  botMessages(channelId: string): FakeDiscordMessage[];
  close(): Promise<void>;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const logDir = options.logDir ?? mkdtempSync(join(tmpdir(), 'chatlane-rig-'));
  const secrets = options.secrets;
  const secretEnv = secrets
    ? { DISCORD_TOKEN: secrets.discordToken, OPENROUTER_API_KEY: secrets.openRouterApiKey }
    : {};
  const config = loadConfig({ CHATLANE_LOG_DIR: logDir, ...options.env, ...secretEnv });
  const token = secrets?.discordToken ?? TOKEN;
  const channels = Array.from({ length: options.guildChannels ?? 1 }, (_, i) => ({ name: `c${i}` }));
  const [openRouter, discord] = await Promise.all([
    FakeOpenRouter.start({ defaultBehaviour: options.openRouter ?? echoBehaviour(), record: false }),
    // The REST cap is lifted above, so the fake's global limit is too (the rig tests load, not the cap).
    FakeDiscord.start({ globalLimit: false, ...options.discord, token }),
  ]);
  const rest = new REST({ api: discord.apiUrl, globalRequestsPerSecond: REST_REQUESTS_PER_SECOND }).setToken(
    token,
  );
  const completed: string[] = [];
  const eventCounts = new Map<string, number>();
  const countingSink = {
    write(event: LogEvent) {
      if (event.event === 'pipeline_complete') completed.push(event.msg_id ?? '');
      else eventCounts.set(event.event, (eventCounts.get(event.event) ?? 0) + 1);
    },
  };
  const parts = await assemble({
    config,
    rest,
    openRouterApiKey: secrets?.openRouterApiKey ?? 'sk-or-v1-rigkey0123456789abcdef',
    openRouterBaseUrl: openRouter.baseUrl,
    loadProfile: async (userId) => ({ displayName: `user ${userId.slice(-4)}`, locale: 'en' }),
    extraSinks: [countingSink],
    console: options.console ?? false,
    ...options.assemble,
  });
  const created = discord.addGuild({ name: 'rig', channels });
  const guild = { id: created.id, channelIds: created.channels.map((c) => c.id) };
  const botId = discord.botUser.id;
  const botMessages = (channelId: string) => discord.messages(channelId).filter((m) => m.author.id === botId);
  const base = { authorName: 'tester', hasAttachments: false, mentionsBot: true };
  return {
    config,
    discord,
    openRouter,
    rest,
    parts,
    guildId: guild.id,
    channelIds: guild.channelIds,
    completed,
    eventCounts,
    async guildMessage(channel, authorId, content) {
      const channelId = guild.channelIds[channel] ?? '';
      const author = { id: authorId, username: `u${authorId.slice(-4)}` };
      const posted = await discord.injectMessage({ guildId: guild.id, channelId, author, content });
      return { ...base, id: posted.id, channelId, guildId: guild.id, authorId, content, isDM: false };
    },
    async dmMessage(authorId, content) {
      const author = { id: authorId, username: `u${authorId.slice(-4)}` };
      const posted = await discord.injectMessage({ author, content });
      const channelId = posted.channel_id;
      return {
        ...base,
        id: posted.id,
        channelId,
        guildId: null,
        authorId,
        content,
        isDM: true,
        mentionsBot: false,
      };
    },
    answer: (msg) => answerMessage(parts, msg, new AbortController().signal),
    repliesTo: (msg) => botMessages(msg.channelId).filter((m) => m.message_reference?.message_id === msg.id),
    botMessages,
    async close() {
      await parts.close();
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      await Promise.all([discord.close(), openRouter.close()]);
      if (options.logDir === undefined) rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/** Runs `count` workers in parallel, each calling `work(worker, iteration)` `iterations` times in sequence. */
export async function runWorkers(
  count: number,
  iterations: number,
  work: (worker: number, iteration: number) => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, worker) => {
      for (let i = 0; i < iterations; i += 1) await work(worker, i);
    }),
  );
}

/** One message of a load run and how the pipeline ended it. */
export interface Answered {
  msg: IncomingMessage;
  outcome: PipelineOutcome;
}

/**
 * Sends `total` messages through the pipeline, `concurrency` at a time: even workers post in a
 * guild channel, odd ones in their own DM. Resolves with every message and its outcome.
 */
export async function runLoad(rig: Rig, total: number, concurrency: number): Promise<Answered[]> {
  const answered: Answered[] = [];
  const perWorker = Math.ceil(total / concurrency);
  await runWorkers(concurrency, perWorker, async (worker, i) => {
    const n = worker * perWorker + i;
    if (n >= total) return;
    const content = `m${n} tell me something about item ${n}`;
    const author = String(420_000_000_000_000_000n + BigInt(worker));
    const msg =
      worker % 2 === 0
        ? await rig.guildMessage(worker % rig.channelIds.length, author, content)
        : await rig.dmMessage(author, content);
    answered.push({ msg, outcome: await rig.answer(msg) });
  });
  return answered;
}

/** What the user saw for a message: the complete answer, a polite failure reply, or something wrong. */
export type Seen = 'answer' | 'polite' | 'wrong';

/**
 * Classifies what Discord shows for `msg`: exactly one bot reply equal to the full answer
 * (`answer`), exactly one ending with one of `FAILURE_REPLIES` (`polite`), anything else (`wrong`:
 * missing, duplicated, partial, or a silent short answer).
 */
export function seenFor(rig: Rig, msg: IncomingMessage): Seen {
  const replies = rig.repliesTo(msg);
  if (replies.length !== 1) return 'wrong';
  const content = replies[0]?.content ?? '';
  if (content === expectedReply(msg)) return 'answer';
  return Object.values(FAILURE_REPLIES).some((notice) => content.endsWith(notice)) ? 'polite' : 'wrong';
}

/** Counts of {@link seenFor} over a run. */
export function tally(rig: Rig, answered: Answered[]): Record<Seen, number> {
  const counts: Record<Seen, number> = { answer: 0, polite: 0, wrong: 0 };
  for (const { msg } of answered) counts[seenFor(rig, msg)] += 1;
  return counts;
}

/**
 * Active handles/requests once they have settled back to at most `baseline` (closed sockets go
 * away asynchronously; gives up after a bounded number of short waits and returns what is left).
 */
export async function settledResourceCount(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && process.getActiveResourcesInfo().length > baseline; i += 1) await sleep(10);
  return process.getActiveResourcesInfo().length;
}

/**
 * Registers the hooks a fault-injection file needs — each test's rig closed after it, and no
 * handle left open once it is (stalled and dropped connections included) — and returns `start`,
 * which makes the test's rig from `defaults(options)`.
 */
export function useRig(
  defaults: (options: RigOptions) => RigOptions,
): (options?: RigOptions) => Promise<Rig> {
  let rig: Rig | undefined;
  let baselineResources = 0;
  beforeEach(() => {
    baselineResources = process.getActiveResourcesInfo().length;
  });
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
    expect(await settledResourceCount(baselineResources)).toBeLessThanOrEqual(baselineResources);
  });
  return async (options = {}) => {
    rig = await startRig(defaults(options));
    return rig;
  };
}
