import { z } from 'zod';

/** A comma-separated list of model ids. */
const modelList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1, 'needs at least one model id'));

const envSchema = z.object({
  DISCORD_TOKEN: z.string().min(1).optional(),
  OPENROUTER_API_KEY: z.string().min(1).optional(),
  OPENROUTER_BASE_URL: z.url().optional(),
  /** The fallback ladder, strongest-preferred first. */
  OPENROUTER_MODELS: modelList.default([
    'openai/gpt-4o-mini',
    'anthropic/claude-3.5-haiku',
    'meta-llama/llama-3.1-8b-instruct',
  ]),
  MODEL_SIMPLE: z.string().min(1).default('openai/gpt-4o-mini'),
  MODEL_MODERATE: z.string().min(1).default('openai/gpt-4o-mini'),
  MODEL_COMPLEX: z.string().min(1).default('anthropic/claude-3.5-haiku'),
  /** Directory for the JSONL log (`chatlane-bot.jsonl`). */
  CHATLANE_LOG_DIR: z.string().min(1).default('.demo-logs'),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']).default('INFO'),
  /** Show the SLO dashboard (always shown at the end of the demo). */
  DEBUG: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** How long shutdown waits for in-flight replies. */
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Optional: share the session cache (profiles, histories, invalidations) across bot processes. */
  SESSION_REDIS_URL: z.string().min(1).optional(),
  /** Key prefix in that Redis (one per bot). */
  SESSION_REDIS_PREFIX: z.string().min(1).default('reference-bot:'),
  /**
   * Run as N shard processes (discord.js ShardingManager); `auto` asks Discord for its recommended
   * count. Unset: one process, no sharding. With shards, set SESSION_REDIS_URL too (shared state).
   */
  SHARD_COUNT: z.union([z.literal('auto'), z.coerce.number().int().min(1)]).optional(),
  /** A `@discordjs/proxy` every process sends its REST calls through (one global limit). Sharded without one, the bot runs its own. */
  DISCORD_REST_PROXY: z.url().optional(),
  /** Discord's API base URL (a fake Discord in tests). @default Discord's */
  DISCORD_API_URL: z.url().optional(),
  /** A message whose process died is answered by a peer if accepted less than this long ago, else apologised for. */
  REPLY_MAX_AGE_MS: z.coerce.number().int().min(1).default(120_000),
});

/** The bot's configuration, validated from the environment. */
export type BotConfig = z.output<typeof envSchema> & { mode: 'live' | 'demo' };

/** Configuration that cannot start the bot; `problems` lists every issue, one a line. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/**
 * Reads and validates the environment. With both `DISCORD_TOKEN` and `OPENROUTER_API_KEY` the bot
 * runs live; with neither it runs the offline demo; with one of them it refuses, naming the other.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]),
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  const hasDiscord = config.DISCORD_TOKEN !== undefined;
  const hasOpenRouter = config.OPENROUTER_API_KEY !== undefined;
  if (hasDiscord !== hasOpenRouter) {
    const missing = hasDiscord ? 'OPENROUTER_API_KEY' : 'DISCORD_TOKEN';
    throw new ConfigError([
      `${missing}: required when ${hasDiscord ? 'DISCORD_TOKEN' : 'OPENROUTER_API_KEY'} is set (set both to run live, neither for the demo)`,
    ]);
  }
  return { ...config, mode: hasDiscord ? 'live' : 'demo' };
}
