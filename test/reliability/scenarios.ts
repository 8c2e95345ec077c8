/**
 * The scenario table of the reliability suite (issue #10): one entry per row of
 * docs/reliability.md. Each names what it injects and what it must achieve.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { echoBehaviour, type Rig } from '../helpers/pipeline-rig.ts';
import { PrivateRedis } from '../helpers/redis-server.ts';
import { BAD_INPUTS, badInputBehaviour, badInputReply, TRANSIENT_FAULTS, transientPlan } from './faults.ts';
import type { Scenario } from './runner.ts';
import {
  DISCORD_5XX,
  DISCORD_GLOBAL_429S,
  DISCORD_RETRY_AFTER_MS,
  DISCORD_ROUTE_429S,
  FAULT_MESSAGES_PER_PIPELINE,
  FAULT_SEED,
  MESSAGES_PER_PIPELINE,
  MIN_WHOLE_ANSWER_RATIO,
  PIPELINES,
  REDIS_OUTAGE_AT,
  REDIS_OUTAGE_MS,
  TRANSIENT_FAULT_RATIO,
} from './settings.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Requests planned per message and model (attempts beyond it get clean answers). */
const PLANNED_REQUESTS_PER_MESSAGE = 4;
const FAULT_LIST = Object.keys(TRANSIENT_FAULTS).join(', ');
const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;
const load = { pipelines: PIPELINES, perPipeline: MESSAGES_PER_PIPELINE };
const faultLoad = { pipelines: PIPELINES, perPipeline: FAULT_MESSAGES_PER_PIPELINE };

/** Scripts the transient-fault plan on `models` (a different seed per model). */
function injectTransient(rig: Rig, models: readonly string[]): void {
  const length = PIPELINES * FAULT_MESSAGES_PER_PIPELINE * PLANNED_REQUESTS_PER_MESSAGE;
  models.forEach((model, i) => {
    rig.openRouter.script(model, transientPlan(length, TRANSIENT_FAULT_RATIO, FAULT_SEED + i));
  });
}

/** Every message create and edit the bot sent disabled every ping (`allowed_mentions.parse` empty). */
function mentionsDisabled(rig: Rig): string[] {
  const writes = rig.discord.requests.filter(
    (r) => (r.method === 'POST' || r.method === 'PATCH') && /\/messages/.test(r.path),
  );
  const pinging = writes.filter((r) => {
    const mentions = (
      r.body as { allowed_mentions?: { parse?: unknown[]; users?: unknown[]; roles?: unknown[] } }
    )?.allowed_mentions;
    return (
      !mentions ||
      (mentions.parse?.length ?? 0) > 0 ||
      (mentions.users?.length ?? 0) > 0 ||
      (mentions.roles?.length ?? 0) > 0
    );
  });
  return pinging.length === 0
    ? []
    : [`${pinging.length} message writes could ping (allowed_mentions not empty)`];
}

/** Deletes the keys a scenario wrote to the shared Redis. */
async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

/** The private Redis is killed after REDIS_OUTAGE_AT of the messages and restarted REDIS_OUTAGE_MS later. */
async function redisOutage() {
  const redis = await PrivateRedis.start();
  let outage: Promise<void> | undefined;
  let answeredDuringOutage = 0;
  return {
    options: { env: { SESSION_REDIS_URL: redis.url, SESSION_REDIS_PREFIX: 'reliability:' } },
    progress(done: number, total: number) {
      if (outage !== undefined && !redis.running) answeredDuringOutage += 1;
      if (outage !== undefined || done < total * REDIS_OUTAGE_AT) return;
      outage = (async () => {
        await redis.kill();
        await sleep(REDIS_OUTAGE_MS);
        await redis.restart();
      })();
    },
    finish: async () => void (await outage),
    // Without Redis the pipeline answers without history; waiting for Redis to return is a hang.
    checks: () =>
      answeredDuringOutage > 0
        ? []
        : ['no message was answered while Redis was down (replies waited for it)'],
    cleanup: () => redis.kill(),
  };
}

/** Every scenario, in table order. */
export const SCENARIOS: Scenario[] = [
  { name: 'no faults', faults: 'none', ...load, minWholeRatio: 1 },
  {
    name: 'transient faults on the primary model',
    faults: `${percent(TRANSIENT_FAULT_RATIO)} of primary requests: ${FAULT_LIST}`,
    ...faultLoad,
    hooks: async () => ({ prepare: (rig) => injectTransient(rig, rig.config.OPENROUTER_MODELS.slice(0, 1)) }),
    minWholeRatio: MIN_WHOLE_ANSWER_RATIO,
  },
  {
    name: 'transient faults on every model',
    faults: `${percent(TRANSIENT_FAULT_RATIO)} of all requests, same mix`,
    ...faultLoad,
    hooks: async () => ({ prepare: (rig) => injectTransient(rig, rig.config.OPENROUTER_MODELS) }),
    minWholeRatio: MIN_WHOLE_ANSWER_RATIO,
  },
  {
    name: 'every model down',
    faults: 'every model answers 503',
    ...load,
    hooks: async () => ({ options: { openRouter: echoBehaviour({ status: 503 }) } }),
    minWholeRatio: 0,
    everyReplyNotice: true,
  },
  {
    name: 'Discord 429 storm',
    faults: `${DISCORD_ROUTE_429S} route 429s on create and on edit, ${DISCORD_GLOBAL_429S} global 429s, real bucket limits`,
    ...load,
    hooks: async () => ({
      options: { discord: {} },
      prepare(rig) {
        const storm = { retryAfterMs: DISCORD_RETRY_AFTER_MS, times: DISCORD_ROUTE_429S };
        rig.discord.script429({ method: 'POST', path: '/messages', ...storm });
        rig.discord.script429({ method: 'PATCH', path: '/messages', ...storm });
        const global = { retryAfterMs: DISCORD_RETRY_AFTER_MS, times: DISCORD_GLOBAL_429S };
        rig.discord.script429({ ...global, global: true, scope: 'global' });
      },
    }),
    minWholeRatio: 1,
  },
  {
    name: 'Discord 5xx',
    faults: `${DISCORD_5XX} creates answered 500 after being applied, ${DISCORD_5XX} edits answered 502`,
    ...load,
    hooks: async () => ({
      prepare(rig) {
        rig.discord.scriptError({
          method: 'POST',
          path: '/messages',
          status: 500,
          afterApply: true,
          times: DISCORD_5XX,
        });
        rig.discord.scriptError({ method: 'PATCH', path: '/messages', status: 502, times: DISCORD_5XX });
      },
    }),
    minWholeRatio: 1,
  },
  {
    name: 'sessions on the shared Redis',
    faults: 'none (SESSION_REDIS_URL = REDIS_URL)',
    ...load,
    hooks: async () => {
      const prefix = `chatlane-reliability:${randomUUID()}:`;
      return {
        options: { env: { SESSION_REDIS_URL: REDIS_URL, SESSION_REDIS_PREFIX: prefix } },
        cleanup: () => deleteKeys(prefix),
      };
    },
    minWholeRatio: 1,
  },
  {
    name: 'Redis outage mid-run',
    faults: `private redis-server killed (SIGKILL) after ${percent(REDIS_OUTAGE_AT)} of the messages, restarted ${REDIS_OUTAGE_MS} ms later`,
    ...load,
    hooks: redisOutage,
    minWholeRatio: 1,
  },
  {
    name: 'replayed gateway events',
    faults: 'every message delivered twice (half concurrently, half after the first answer)',
    ...load,
    replay: true,
    minWholeRatio: 1,
  },
  {
    name: 'bad input',
    faults: `${BAD_INPUTS.map(([kind]) => kind).join(', ')}; mentions in model output`,
    ...load,
    content: (n) => BAD_INPUTS[n % BAD_INPUTS.length]![1](n),
    expected: (msg) => badInputReply(msg.content),
    hooks: async () => ({ options: { openRouter: badInputBehaviour() } }),
    minWholeRatio: 1,
    checks: mentionsDisabled,
  },
];
