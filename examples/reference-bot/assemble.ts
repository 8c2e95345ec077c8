/**
 * Builds the seven primitives from the configuration. Every number is a library default unless
 * the environment overrides it; the example adds no policy of its own.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConsoleSink,
  DiscordSender,
  type DiscordSenderOptions,
  FastPathRouter,
  JsonlSink,
  Logger,
  type LogSink,
  OpenRouterClient,
  type OpenRouterClientOptions,
  SessionCache,
  type SessionCacheOptions,
  SloMonitor,
  TemplateCache,
  userFacingFailure,
} from 'chatlane';
import type { REST } from 'discord.js';
import type { BotConfig } from './config.ts';
import type { PipelineParts, Profile } from './pipeline.ts';
import { SYSTEM_PROMPT, SYSTEM_PROMPT_ID } from './prompt.ts';
import { connectShared } from './redis.ts';

/**
 * A Redis client that fails fast: no offline queue, one retry per command, short connect and
 * command timeouts, so an outage costs each call the store timeout instead of hanging it. The
 * SessionCache then degrades (profile from the loader, history from this process) and recovers
 * by itself when the client reconnects.
 */
export interface AssembleInput {
  config: BotConfig;
  /** The discord.js REST instance of the bot's Client (reused: one HTTP session, one rate-limit state). */
  rest: REST;
  /** Loads a user's profile on a cache miss. */
  loadProfile: (userId: string, context: { signal: AbortSignal }) => Promise<Profile>;
  /** OpenRouter base URL (the fake's in the demo). */
  openRouterBaseUrl?: string;
  /** OpenRouter API key (any string for the fake). */
  openRouterApiKey: string;
  /** Extra sinks (tests collect events here). */
  extraSinks?: LogSink[];
  /** Console output; `false` for none (tests). @default process.stderr */
  console?: NodeJS.WritableStream | false;
  /** OpenRouterClient overrides (timeouts, retries, breaker…), e.g. short timeouts in tests. @default library defaults */
  llmOptions?: Partial<Omit<OpenRouterClientOptions, 'apiKey' | 'baseUrl'>>;
  /** DiscordSender overrides (cadence, queue bounds…). @default library defaults */
  senderOptions?: Omit<DiscordSenderOptions, 'rest' | 'client'>;
  /** The JSONL log's file name in CHATLANE_LOG_DIR (one per shard process). @default 'chatlane-bot.jsonl' */
  logFileName?: string;
  /** SessionCache overrides (LRU bounds, TTLs, budgets…). @default library defaults */
  sessionOptions?: Omit<SessionCacheOptions<Profile>, 'loadProfile'>;
}

/** The assembled parts plus the one `close()` that releases them all. */
export interface Assembled extends PipelineParts {
  jsonlPath: string;
  close(): Promise<void>;
}

/**
 * Builds every primitive: a logger to the console and `chatlane-bot.jsonl` (secrets redacted), the
 * system prompt compiled (checked at start), the router, the session cache, the OpenRouter client, the Discord
 * sender on the bot's own REST, and the SLO monitor; each primitive logs its own events (child loggers
 * named `reference-bot.<primitive>`).
 */
export async function assemble(input: AssembleInput): Promise<Assembled> {
  const { config } = input;
  mkdirSync(config.CHATLANE_LOG_DIR, { recursive: true });
  const jsonlPath = join(config.CHATLANE_LOG_DIR, input.logFileName ?? 'chatlane-bot.jsonl');
  const secrets = [input.openRouterApiKey, config.DISCORD_TOKEN ?? ''].filter((s) => s.length > 0);
  const sinks: LogSink[] = [new JsonlSink({ path: jsonlPath, secrets }), ...(input.extraSinks ?? [])];
  if (input.console !== false) {
    const stream = (input.console ?? process.stderr) as NodeJS.WriteStream;
    sinks.push(new ConsoleSink({ stream, level: config.LOG_LEVEL, secrets }));
  }
  const logger = new Logger({ name: 'reference-bot', sinks, secrets, level: config.LOG_LEVEL });

  // Each primitive logs its own notable events (fallbacks, breaker, store degradation, rate limits…).
  const named = (primitive: string) => logger.child({ name: `reference-bot.${primitive}` });
  const templates = new TemplateCache({ logger: named('templates') });
  await templates.compile(SYSTEM_PROMPT_ID, SYSTEM_PROMPT); // a syntax error fails at start, not on a message
  const router = new FastPathRouter({
    logger: named('router'),
    models: { simple: config.MODEL_SIMPLE, moderate: config.MODEL_MODERATE, complex: config.MODEL_COMPLEX },
  });
  const redis = config.SESSION_REDIS_URL
    ? await connectShared(
        config.SESSION_REDIS_URL,
        config.SESSION_REDIS_PREFIX,
        config.REPLY_MAX_AGE_MS,
        logger,
      )
    : undefined;
  const sessions = new SessionCache<Profile>({
    ...input.sessionOptions,
    ...(redis ? { store: redis.store } : {}),
    loadProfile: input.loadProfile,
    logger: named('session'),
  });
  const llm = new OpenRouterClient({
    apiKey: input.openRouterApiKey,
    models: config.OPENROUTER_MODELS,
    appName: 'chatlane reference bot',
    logger: named('openrouter'),
    ...(redis ? { sharedState: redis.sharedState } : {}),
    ...input.llmOptions,
    ...(input.openRouterBaseUrl ? { baseUrl: input.openRouterBaseUrl } : {}),
  });
  const sender = new DiscordSender({
    streamErrorNotice: userFacingFailure,
    ...input.senderOptions,
    rest: input.rest,
    logger: named('discord'),
  });
  const slo = new SloMonitor({ logger: named('slo') });

  return {
    logger,
    router,
    sessions,
    templates,
    llm,
    sender,
    slo,
    ...(redis ? { journal: redis.journal } : {}),
    jsonlPath,
    async close() {
      await Promise.allSettled([
        sender.close(),
        slo.close(),
        llm.close(),
        sessions.close(),
        templates.close(),
      ]);
      await redis?.close();
      await logger.close();
    },
  };
}
