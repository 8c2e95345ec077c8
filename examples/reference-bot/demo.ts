/**
 * The offline demo: the same bot, unmodified, against the library's fake Discord and fake
 * OpenRouter. Plays a short conversation scene by scene — the user's message, the bot's finished
 * reply with its path, model and latency, any failover in words — then prints the SLO dashboard
 * and the numbers of each primitive, and exits. Every event also goes to the JSONL log.
 */
import { FakeDiscord, FakeOpenRouter } from 'chatlane/testing';
import { type Assembled, assemble } from './assemble.ts';
import { attachBot } from './bot.ts';
import type { BotConfig } from './config.ts';
import { DemoNarrator, shortModel } from './demo-narrate.ts';
import { DEMO_BEHAVIOUR, DEMO_STEPS, type DemoStep } from './demo-script.ts';
import { loginClient } from './discord.ts';
import type { IncomingMessage, PipelineOutcome } from './pipeline.ts';
import { shutdown } from './shutdown.ts';

const DEMO_TOKEN = 'demo-token';
const DEMO_USER = { id: '310000000000000001', username: 'ada' };
/** The bot has answered when the demo reads its reply: a short quiet period is enough. */
const DEMO_REPLY_SETTLED_MS = 50;
/** A reply that is not there this long after the bot answered is reported missing. */
const DEMO_REPLY_TIMEOUT_MS = 5_000;

/** Runs the demo; resolves to the number of messages that did not get a full answer. */
export async function runDemo(
  config: BotConfig,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const openRouter = await FakeOpenRouter.start({ defaultBehaviour: DEMO_BEHAVIOUR });
  const discord = await FakeDiscord.start({
    token: DEMO_TOKEN,
    latencyMs: 40,
    guilds: [{ name: 'chatlane demo', channels: [{ name: 'general' }] }],
  });
  const client = await loginClient(DEMO_TOKEN, discord.apiUrl);
  const narrator = new DemoNarrator(out);
  const parts = await assemble({
    config,
    rest: client.rest,
    openRouterApiKey: 'demo-key',
    openRouterBaseUrl: openRouter.baseUrl,
    loadProfile: async () => ({ displayName: 'Ada', locale: 'en' }),
    // The conversation is the demo's output; the full event log goes to the JSONL file.
    console: false,
    extraSinks: [narrator.sink],
  });
  narrator.follow(parts.llm);
  const answered = new Outcomes();
  const bot = attachBot(client, parts, {
    onAnswered: (outcome: PipelineOutcome, message: IncomingMessage) => answered.settle(message.id, outcome),
  });
  const guild = client.guilds.cache.first();
  const channel = guild?.channels.cache.first();
  const [primary = '', fallback = ''] = config.OPENROUTER_MODELS;
  out.write(
    `The reference bot, unmodified, talks to a fake Discord and a fake OpenRouter (${shortModel(primary)}, ` +
      `fallback ${shortModel(fallback)}). The model answers are canned; routing, caching, retries, ` +
      'breakers, streaming and splitting are the real library.\n',
  );
  let failures = 0;
  try {
    for (const [index, step] of DEMO_STEPS.entries()) {
      narrator.scene(index + 1, DEMO_STEPS.length, step.label, DEMO_USER.username, step.content);
      const outcome = await play(step, {
        discord,
        openRouter,
        answered,
        narrator,
        guildId: guild?.id,
        channelId: channel?.id,
        primary,
        botId: client.user.id,
      });
      if (!outcome.ok) failures += 1;
    }
  } finally {
    out.write(`\n${parts.slo.renderDashboard({ color: (out as NodeJS.WriteStream).isTTY === true })}\n`);
    out.write(`${statsSummary(parts)}\nFull event log (JSONL): ${parts.jsonlPath}\n`);
    await shutdown(bot, parts, client, config.SHUTDOWN_DEADLINE_MS);
    await Promise.all([discord.close(), openRouter.close()]);
  }
  return failures;
}

interface PlayContext {
  discord: FakeDiscord;
  openRouter: FakeOpenRouter;
  answered: Outcomes;
  narrator: DemoNarrator;
  guildId: string | undefined;
  channelId: string | undefined;
  primary: string;
  botId: string;
}

async function play(step: DemoStep, ctx: PlayContext): Promise<PipelineOutcome> {
  // An outage answers 503 at the model's usual latency; without a script the model is healthy.
  ctx.openRouter.script(ctx.primary, step.primaryDown ? { status: 503 } : []);
  const content = step.where === 'guild' ? `<@${ctx.botId}> ${step.content}` : step.content;
  const injected = await ctx.discord.injectMessage({
    content,
    author: DEMO_USER,
    ...(step.where === 'guild' && ctx.guildId && ctx.channelId
      ? { guildId: ctx.guildId, channelId: ctx.channelId }
      : {}),
  });
  const outcome = await ctx.answered.wait(injected.id);
  const reply = await ctx.discord
    .waitForReply(injected.id, { settledMs: DEMO_REPLY_SETTLED_MS, timeoutMs: DEMO_REPLY_TIMEOUT_MS })
    .catch(() => []);
  ctx.narrator.reply(injected.id, reply);
  return outcome;
}

/** Outcomes by message id, whichever comes first: the answer or the wait. */
export class Outcomes {
  readonly #settled = new Map<string, PipelineOutcome>();
  readonly #waiting = new Map<string, (outcome: PipelineOutcome) => void>();

  settle(messageId: string, outcome: PipelineOutcome): void {
    const waiter = this.#waiting.get(messageId);
    if (waiter) waiter(outcome);
    else this.#settled.set(messageId, outcome);
  }

  wait(messageId: string): Promise<PipelineOutcome> {
    const settled = this.#settled.get(messageId);
    if (settled) return Promise.resolve(settled);
    return new Promise((resolve) => this.#waiting.set(messageId, resolve));
  }
}

/** One line per primitive: the numbers an operator looks at first. */
function statsSummary(parts: Assembled): string {
  const llm = parts.llm.getStats();
  const sessions = parts.sessions.getStats();
  const sender = parts.sender.getStats();
  const templates = parts.templates.getStats();
  const percent = (x: number) => `${(x * 100).toFixed(0)}%`;
  return [
    `OpenRouter: ${llm.successes}/${llm.requests} answered, ${llm.attempts} attempts, ${llm.retries} retries, ${llm.fallbacks} fallbacks, connection reuse ${percent(llm.connectionReuseRate)}`,
    `Sessions:   profile hit rate ${percent(sessions.hitRate)} (${plural(sessions.loads, 'load')})`,
    `Templates:  hit rate ${percent(templates.hitRate)} (${plural(templates.compiles, 'compile')})`,
    `Discord:    ${sender.messages} messages, ${sender.edits} edits, ${plural(sender.splits, 'split reply', 'split replies')}, ${plural(sender.rateLimited, 'rate limit')}`,
  ].join('\n');
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
