/**
 * Scale-out: with SHARD_COUNT the bot runs as N shard processes on discord.js's own
 * `ShardingManager` (each process a full bot: `main.ts` in shard mode), and — unless
 * DISCORD_REST_PROXY names one — runs a `@discordjs/proxy` in this manager process, so every
 * shard's REST calls share one global rate limit. Shared state (sessions, breakers, the reply
 * journal) lives in SESSION_REDIS_URL. See docs/scaling.md.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { proxyRequests } from '@discordjs/proxy';
import { DiscordGlobalLimit } from 'chatlane';
import { DefaultRestOptions, REST, ShardingManager } from 'discord.js';
import type { BotConfig } from './config.ts';

const BAD_GATEWAY = 502;
/** How long one shard may take to connect before spawning fails. */
const SHARD_READY_TIMEOUT_MS = 60_000;

/** True in a process the ShardingManager spawned (discord.js sets these variables). */
export function isShardProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SHARDING_MANAGER === 'true' && env.SHARDS !== undefined;
}

/** The shard ids of this process (from the manager's SHARDS variable). */
export function shardIds(env: NodeJS.ProcessEnv = process.env): number[] {
  return ([] as number[]).concat(JSON.parse(env.SHARDS ?? '[]') as number[] | number);
}

/**
 * The REST every shard's calls go through: DiscordGlobalLimit holds a rolling second under
 * Discord's global limit for all of them (discord.js's own fixed window stays as a backstop).
 */
function restFor(config: BotConfig): REST {
  const limit = new DiscordGlobalLimit();
  const rest = new REST({
    makeRequest: limit.wrap(DefaultRestOptions.makeRequest),
    ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}),
  });
  return rest.setToken(config.DISCORD_TOKEN ?? '');
}

/** SHARD_COUNT, or Discord's recommended count (`GET /gateway/bot`) for `auto`. */
async function shardCount(config: BotConfig): Promise<number> {
  if (typeof config.SHARD_COUNT === 'number') return config.SHARD_COUNT;
  const gateway = (await restFor(config).get('/gateway/bot')) as { shards: number };
  return Math.max(1, gateway.shards);
}

async function startProxy(config: BotConfig): Promise<{ url: string; server: Server }> {
  const proxy = proxyRequests(restFor(config));
  const server = createServer((req, res) => {
    // An error the proxy does not map to a response (a network failure to Discord) is a 502 for
    // the shard's REST to retry — never an unhandled rejection that takes every shard's REST down.
    Promise.resolve(proxy(req, res)).catch((error: unknown) => {
      process.stderr.write(
        `chatlane: REST proxy error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      if (!res.headersSent) res.statusCode = BAD_GATEWAY;
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api`, server };
}

/** Spawns the shards (and the REST proxy); resolves with a stop function once all are ready. */
export async function runShards(config: BotConfig): Promise<{ stop(): Promise<void> }> {
  const total = await shardCount(config);
  const proxy = config.DISCORD_REST_PROXY ? undefined : await startProxy(config);
  // Each shard copies this process's environment when it is created.
  if (proxy) process.env.DISCORD_REST_PROXY = proxy.url;
  const manager = new ShardingManager(fileURLToPath(new URL('./main.ts', import.meta.url)), {
    totalShards: total,
    token: config.DISCORD_TOKEN ?? '',
    execArgv: process.execArgv,
    respawn: true,
  });
  process.stderr.write(`chatlane: ${total} shard(s)${proxy ? `, REST proxy ${proxy.url}` : ''}\n`);
  await manager.spawn({ amount: total, delay: 0, timeout: SHARD_READY_TIMEOUT_MS });
  return {
    async stop() {
      // SIGTERM: each shard drains its replies (main.ts), then exits, and is not respawned.
      manager.respawn = false;
      await Promise.all(
        [...manager.shards.values()].map(async (shard) => {
          const exited = shard.process ? once(shard.process, 'exit') : Promise.resolve();
          shard.process?.kill('SIGTERM');
          await exited;
        }),
      );
      if (proxy) await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
    },
  };
}
