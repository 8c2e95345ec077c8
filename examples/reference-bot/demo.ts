/**
 * The offline demo: the same bot, unmodified, against the library's fake Discord and fake
 * OpenRouter. Plays a short conversation, prints the pretty log and the SLO dashboard, exits.
 */
import { FakeDiscord, FakeOpenRouter } from 'chatlane/testing';
import { type Assembled, assemble } from './assemble.ts';
import { attachBot } from './bot.ts';
import type { BotConfig } from './config.ts';
import { DEMO_BEHAVIOUR, DEMO_STEPS, type DemoStep } from './demo-script.ts';
import { loginClient } from './discord.ts';
import type { IncomingMessage, PipelineOutcome } from './pipeline.ts';
import { shutdown } from './shutdown.ts';

const DEMO_TOKEN = 'demo-token';
const DEMO_USER = { id: '310000000000000001', username: 'ada' };

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
  const parts = await assemble({
    config,
    rest: client.rest,
    openRouterApiKey: 'demo-key',
    openRouterBaseUrl: openRouter.baseUrl,
    loadProfile: async () => ({ displayName: 'Ada', locale: 'en' }),
  });
  const answered = new Outcomes();
  const bot = attachBot(client, parts, {
    onAnswered: (outcome: PipelineOutcome, message: IncomingMessage) => answered.settle(message.id, outcome),
  });
  const guild = client.guilds.cache.first();
  const channel = guild?.channels.cache.first();
  let failures = 0;
  try {
    for (const step of DEMO_STEPS) {
      const outcome = await play(step, {
        discord,
        openRouter,
        answered,
        guildId: guild?.id,
        channelId: channel?.id,
        models: config.OPENROUTER_MODELS,
        botId: client.user.id,
      });
      if (!outcome.ok) failures += 1;
    }
  } finally {
    out.write(`\n${parts.slo.renderDashboard({ color: (out as NodeJS.WriteStream).isTTY === true })}\n`);
    out.write(`${statsSummary(parts)}\nJSONL log: ${parts.jsonlPath}\n`);
    await shutdown(bot, parts, client, config.SHUTDOWN_DEADLINE_MS);
    await Promise.all([discord.close(), openRouter.close()]);
  }
  return failures;
}

interface PlayContext {
  discord: FakeDiscord;
  openRouter: FakeOpenRouter;
  answered: Outcomes;
  guildId: string | undefined;
  channelId: string | undefined;
  models: string[];
  botId: string;
}

async function play(step: DemoStep, ctx: PlayContext): Promise<PipelineOutcome> {
  if (step.outage) {
    const primary = ctx.models[0] ?? '';
    // The queue's last behaviour repeats: the model is healthy again after the outage.
    const down = Array.from({ length: step.outage }, () => ({ status: 503 }));
    ctx.openRouter.script(primary, [...down, DEMO_BEHAVIOUR]);
  }
  const content = step.where === 'guild' ? `<@${ctx.botId}> ${step.content}` : step.content;
  const injected = await ctx.discord.injectMessage({
    content,
    author: DEMO_USER,
    ...(step.where === 'guild' && ctx.guildId && ctx.channelId
      ? { guildId: ctx.guildId, channelId: ctx.channelId }
      : {}),
  });
  return ctx.answered.wait(injected.id);
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
    `Sessions:   profile hit rate ${percent(sessions.hitRate)} (${sessions.loads} loads)`,
    `Templates:  hit rate ${percent(templates.hitRate)} (${templates.compiles} compile)`,
    `Discord:    ${sender.messages} messages, ${sender.edits} edits, ${sender.splits} split replies, ${sender.rateLimited} rate limits`,
  ].join('\n');
}
