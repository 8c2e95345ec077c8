/**
 * The reference bot. With DISCORD_TOKEN and OPENROUTER_API_KEY it connects to Discord and
 * OpenRouter; with neither it runs the offline demo against the library's fakes. With SHARD_COUNT
 * it runs as a ShardingManager whose shard processes run this file again (see sharding.ts).
 *
 *   npm start
 */
import { assemble } from './assemble.ts';
import { attachBot } from './bot.ts';
import { type BotConfig, ConfigError, loadConfig } from './config.ts';
import { runDemo } from './demo.ts';
import { createClient, discordProfileLoader, login } from './discord.ts';
import { isShardProcess, runShards, shardIds } from './sharding.ts';
import { onShutdownSignal, shutdown } from './shutdown.ts';

async function runLive(config: BotConfig): Promise<void> {
  // A shard sends its REST calls through the manager's proxy (one global limit for all shards).
  const unready = createClient(config.DISCORD_REST_PROXY ?? config.DISCORD_API_URL);
  const shard = isShardProcess() ? shardIds().join('-') : undefined;
  const parts = await assemble({
    ...(shard === undefined ? {} : { logFileName: `chatlane-bot.shard-${shard}.jsonl` }),
    config,
    rest: unready.rest,
    loadProfile: discordProfileLoader(unready.rest),
    openRouterApiKey: config.OPENROUTER_API_KEY ?? '',
    ...(config.OPENROUTER_BASE_URL ? { openRouterBaseUrl: config.OPENROUTER_BASE_URL } : {}),
  });
  // Listening before logging in: no message of the first moments (or after a restart) is missed.
  const bot = attachBot(unready, parts);
  const client = await login(unready, config.DISCORD_TOKEN ?? '');
  parts.logger.info({ user: client.user.tag, guilds: client.guilds.cache.size, shard }, 'bot_ready');
  if (config.DEBUG) {
    const timer = setInterval(() => process.stdout.write(`${parts.slo.renderDashboard()}\n`), 60_000);
    timer.unref();
  }
  onShutdownSignal(async (signal) => {
    parts.logger.info({ signal }, 'shutdown_started');
    await shutdown(bot, parts, client, config.SHUTDOWN_DEADLINE_MS);
  });
}

async function main(): Promise<number> {
  let config: BotConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (config.mode === 'live' && config.SHARD_COUNT !== undefined && !isShardProcess()) {
    const shards = await runShards(config);
    onShutdownSignal(() => shards.stop());
    return -1;
  }
  if (config.mode === 'live') {
    await runLive(config);
    return -1; // keeps running until a signal
  }
  process.stderr.write(
    'chatlane demo (offline). Set DISCORD_TOKEN and OPENROUTER_API_KEY to run the bot live.\n\n',
  );
  const failures = await runDemo(config);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(
      `chatlane reference bot crashed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
