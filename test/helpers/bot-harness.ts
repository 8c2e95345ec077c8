/**
 * Starts the reference bot, unmodified, against the fake Discord (REST + gateway) and the fake
 * OpenRouter, with a real discord.js Client, and collects every log event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEvent } from 'chatlane';
import { type FakeBehaviour, FakeDiscord, FakeOpenRouter } from 'chatlane/testing';
import type { Client } from 'discord.js';
import { type Assembled, type AssembleInput, assemble } from '../../examples/reference-bot/assemble.ts';
import { attachBot, type RunningBot } from '../../examples/reference-bot/bot.ts';
import { type BotConfig, loadConfig } from '../../examples/reference-bot/config.ts';
import { Outcomes } from '../../examples/reference-bot/demo.ts';
import { loginClient } from '../../examples/reference-bot/discord.ts';
import type { PipelineOutcome } from '../../examples/reference-bot/pipeline.ts';

export const TOKEN = 'harness-token';
export const USER = { id: '410000000000000001', username: 'grace' };

export interface Harness {
  config: BotConfig;
  discord: FakeDiscord;
  openRouter: FakeOpenRouter;
  client: Client<true>;
  parts: Assembled;
  bot: RunningBot;
  events: LogEvent[];
  outcomes: Outcomes;
  guildId: string;
  channelId: string;
  /** Injects a message and waits until the bot has answered it. */
  say(content: string, where?: 'dm' | 'guild'): Promise<{ messageId: string; outcome: PipelineOutcome }>;
  close(): Promise<void>;
}

export async function startHarness(
  behaviour: FakeBehaviour = {},
  env: Record<string, string> = {},
  overrides: Partial<Pick<AssembleInput, 'sessionOptions' | 'loadProfile'>> = {},
): Promise<Harness> {
  const logDir = mkdtempSync(join(tmpdir(), 'chatlane-bot-'));
  const config = loadConfig({ CHATLANE_LOG_DIR: logDir, LOG_LEVEL: 'DEBUG', ...env });
  const openRouter = await FakeOpenRouter.start({ defaultBehaviour: behaviour });
  const discord = await FakeDiscord.start({
    token: TOKEN,
    guilds: [{ name: 'harness', channels: [{ name: 'general' }] }],
  });
  const client = await loginClient(TOKEN, discord.apiUrl);
  const events: LogEvent[] = [];
  const parts = await assemble({
    config,
    rest: client.rest,
    openRouterApiKey: 'sk-or-v1-harnesskey0123456789abcdef',
    openRouterBaseUrl: openRouter.baseUrl,
    loadProfile: async () => ({ displayName: 'Grace', locale: 'en' }),
    extraSinks: [{ write: (event) => events.push(event) }],
    console: false,
    ...overrides,
  });
  const outcomes = new Outcomes();
  const bot = attachBot(client, parts, {
    onAnswered: (outcome, message) => outcomes.settle(message.id, outcome),
  });
  const guild = client.guilds.cache.first();
  const channel = guild?.channels.cache.first();
  if (!guild || !channel) throw new Error('the fake guild did not arrive');
  return {
    config,
    discord,
    openRouter,
    client,
    parts,
    bot,
    events,
    outcomes,
    guildId: guild.id,
    channelId: channel.id,
    async say(content, where = 'dm') {
      const injected = await discord.injectMessage({
        content: where === 'guild' ? `<@${client.user.id}> ${content}` : content,
        author: USER,
        ...(where === 'guild' ? { guildId: guild.id, channelId: channel.id } : {}),
      });
      return { messageId: injected.id, outcome: await outcomes.wait(injected.id) };
    },
    async close() {
      await bot.stop(1_000);
      await client.destroy();
      await parts.close();
      await Promise.all([discord.close(), openRouter.close()]);
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
