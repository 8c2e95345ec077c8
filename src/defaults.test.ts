/**
 * Each primitive's exported `DEFAULT_<PRIMITIVE>_OPTIONS` must be what its option schema really
 * fills in, and must name every value default the schema has (a new option with a default that is
 * missing from its DEFAULT object fails here).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DISCORD_SENDER_OPTIONS } from './discord/defaults.ts';
import { DEFAULT_DISCORD_GLOBAL_LIMIT_OPTIONS, globalLimitOptionsSchema } from './discord/global-limit.ts';
import { resolveSenderOptions } from './discord/options.ts';
import { parseOptions } from './internal/options.ts';
import { DEFAULT_JSONL_SINK_OPTIONS, DEFAULT_LOGGER_OPTIONS } from './logging/defaults.ts';
import { jsonlSinkOptionsSchema } from './logging/jsonl-sink.ts';
import { loggerOptionsSchema } from './logging/logger.ts';
import { DEFAULT_OPENROUTER_CLIENT_OPTIONS } from './openrouter/defaults.ts';
import { resolveOptions } from './openrouter/options.ts';
import {
  DEFAULT_REDIS_OPENROUTER_STATE_OPTIONS,
  sharedStateOptionsSchema,
} from './openrouter/shared-state.ts';
import { DEFAULT_FAST_PATH_ROUTER_OPTIONS, fastPathRouterOptionsSchema } from './router/options.ts';
import {
  DEFAULT_MEMORY_SESSION_STORE_OPTIONS,
  DEFAULT_REDIS_SESSION_STORE_OPTIONS,
  DEFAULT_SESSION_CACHE_OPTIONS,
} from './session/defaults.ts';
import { memoryStoreOptionsSchema } from './session/memory-store.ts';
import { resolveSessionOptions } from './session/options.ts';
import { redisStoreSchema } from './session/redis-store-options.ts';
import { DEFAULT_REDIS_REPLY_JOURNAL_OPTIONS, replyJournalOptionsSchema } from './session/reply-journal.ts';
import { DEFAULT_SLO_OPTIONS, resolveSloOptions } from './slo/options.ts';
import { DEFAULT_TEMPLATE_CACHE_OPTIONS, templateCacheOptionsSchema } from './templates/options.ts';
import { DEFAULT_PHASE_TIMER_OPTIONS } from './timing/defaults.ts';
import { phaseTimerOptionsSchema } from './timing/phase-timer.ts';

/** A value default (not a function, a client or a class instance such as a clock or a store). */
function isValue(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function';
  if (Array.isArray(value)) return value.every(isValue);
  return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isValue);
}

const fakeRest = { post: () => undefined, on: () => undefined, off: () => undefined };
const fakeRedis = { evalsha: () => undefined };

const cases: Array<{
  name: string;
  defaults: object;
  resolved: () => object;
  /** Resolved keys that are inputs or derived values, not defaults. */
  notDefaults?: readonly string[];
}> = [
  {
    name: 'OpenRouterClient',
    defaults: DEFAULT_OPENROUTER_CLIENT_OPTIONS,
    resolved: () => resolveOptions({ apiKey: 'k', models: ['m'] }),
    notDefaults: ['apiKey', 'models', 'hedgeEnabled', 'hedgeDelayMs'],
  },
  {
    name: 'DiscordSender',
    defaults: DEFAULT_DISCORD_SENDER_OPTIONS,
    resolved: () => resolveSenderOptions({ rest: fakeRest as never }),
  },
  {
    name: 'SessionCache',
    defaults: DEFAULT_SESSION_CACHE_OPTIONS,
    resolved: () => resolveSessionOptions({}),
    notDefaults: ['maxHistoryTokens'],
  },
  {
    name: 'MemorySessionStore',
    defaults: DEFAULT_MEMORY_SESSION_STORE_OPTIONS,
    resolved: () => parseOptions(memoryStoreOptionsSchema, {}, 'test'),
  },
  {
    name: 'RedisSessionStore',
    defaults: DEFAULT_REDIS_SESSION_STORE_OPTIONS,
    resolved: () => parseOptions(redisStoreSchema, { redis: fakeRedis }, 'test'),
  },
  {
    name: 'RedisReplyJournal',
    defaults: DEFAULT_REDIS_REPLY_JOURNAL_OPTIONS,
    resolved: () => parseOptions(replyJournalOptionsSchema, { redis: fakeRedis }, 'test'),
  },
  {
    name: 'RedisOpenRouterState',
    defaults: DEFAULT_REDIS_OPENROUTER_STATE_OPTIONS,
    resolved: () => parseOptions(sharedStateOptionsSchema, { redis: fakeRedis }, 'test'),
  },
  {
    name: 'DiscordGlobalLimit',
    defaults: DEFAULT_DISCORD_GLOBAL_LIMIT_OPTIONS,
    resolved: () => parseOptions(globalLimitOptionsSchema, {}, 'test'),
  },
  {
    name: 'TemplateCache',
    defaults: DEFAULT_TEMPLATE_CACHE_OPTIONS,
    resolved: () => parseOptions(templateCacheOptionsSchema, {}, 'test'),
  },
  {
    name: 'FastPathRouter',
    defaults: DEFAULT_FAST_PATH_ROUTER_OPTIONS,
    resolved: () => parseOptions(fastPathRouterOptionsSchema, {}, 'test'),
  },
  { name: 'SloMonitor', defaults: DEFAULT_SLO_OPTIONS, resolved: () => resolveSloOptions(undefined) },
  {
    name: 'PhaseTimer',
    defaults: DEFAULT_PHASE_TIMER_OPTIONS,
    resolved: () => parseOptions(phaseTimerOptionsSchema, {}, 'test'),
  },
  {
    name: 'Logger',
    defaults: DEFAULT_LOGGER_OPTIONS,
    resolved: () => parseOptions(loggerOptionsSchema, { sinks: [] }, 'test'),
    notDefaults: ['sinks', 'secrets'],
  },
  {
    name: 'JsonlSink',
    defaults: DEFAULT_JSONL_SINK_OPTIONS,
    resolved: () => parseOptions(jsonlSinkOptionsSchema, { path: '/tmp/x.jsonl' }, 'test'),
    notDefaults: ['path', 'secrets'],
  },
];

describe.each(cases)('DEFAULT options of $name', ({ defaults, resolved, notDefaults = [] }) => {
  it('are what the schema fills in', () => {
    const actual = resolved() as Record<string, unknown>;
    for (const [key, value] of Object.entries(defaults)) expect(actual[key], key).toEqual(value);
  });

  it('name every value default of the schema', () => {
    const actual = resolved() as Record<string, unknown>;
    const unlisted = Object.entries(actual)
      .filter(([key, value]) => value !== undefined && isValue(value) && !notDefaults.includes(key))
      .map(([key]) => key)
      .filter((key) => !(key in defaults));
    expect(unlisted).toEqual([]);
  });

  it('are frozen', () => {
    expect(Object.isFrozen(defaults)).toBe(true);
    for (const value of Object.values(defaults))
      if (typeof value === 'object') expect(Object.isFrozen(value)).toBe(true);
  });
});
