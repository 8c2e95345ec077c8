/**
 * Soak: 20 concurrent pipelines × 100 messages through the reference bot's `answerMessage`, every
 * primitive real, both fakes at 0 ms. Asserts delivery (every reply exactly once, in per-channel
 * order), accounting (one `pipeline_complete` and one SLO sample per message) and memory bounds
 * (LRU and window bounds hold, bounded heap growth, no handle left behind). No timings.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../examples/reference-bot/pipeline.ts';
import {
  expectedReply,
  type Rig,
  runWorkers,
  settledResourceCount,
  startRig,
} from './helpers/pipeline-rig.ts';

const PIPELINES = 20;
const ITERATIONS = 100;
const MESSAGES = PIPELINES * ITERATIONS;
const GUILD_PIPELINES = 10;
const DM_USERS_PER_PIPELINE = 10;
const MAX_PROFILES = 100;
const MAX_CONVERSATIONS = 50;
const SLO_WINDOW_MAX = 1_000;
/** Heap the second half (1,000 messages) may add: the fakes keep every message and request (~3 MB measured). */
const HEAP_GROWTH_LIMIT_BYTES = 16 * 1024 * 1024;
/** A bound, not a timing claim: ~13 s on an idle 2-core box, more when the machine is shared. */
const SOAK_TIMEOUT_MS = 120_000;

/** `gc()` without `--expose-gc` on the command line (vitest's config is not ours to change). */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function settledHeap(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i += 1) {
    await nextTurn();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

function userId(n: number): string {
  return String(410_000_000_000_000_000n + BigInt(n));
}

/** Message `i` of pipeline `p`: guild pipelines own a channel (a new author each time), DM pipelines rotate over their users. */
function messageFor(rig: Rig, p: number, i: number): Promise<IncomingMessage> {
  const content = `q${p}-${i} tell me something about item ${i}`;
  if (p < GUILD_PIPELINES) return rig.guildMessage(p, userId(p * ITERATIONS + i), content);
  return rig.dmMessage(userId(100_000 + p * DM_USERS_PER_PIPELINE + (i % DM_USERS_PER_PIPELINE)), content);
}

describe('soak: 20 concurrent pipelines × 100 messages through answerMessage', () => {
  it(
    'answers every message exactly once, in order, with bounded memory and no leaked handles',
    async () => {
      const gc = exposeGc();
      const baselineResources = process.getActiveResourcesInfo().length;
      const rig = await startRig({
        guildChannels: GUILD_PIPELINES,
        discord: { bucketLimit: 100_000 },
        assemble: { sessionOptions: { maxProfiles: MAX_PROFILES, maxConversations: MAX_CONVERSATIONS } },
      });
      const sent: IncomingMessage[][] = Array.from({ length: PIPELINES }, () => []);
      const failures: string[] = [];
      const half = ITERATIONS / 2;
      const runHalf = (offset: number) =>
        runWorkers(PIPELINES, half, async (p, i) => {
          const msg = await messageFor(rig, p, offset + i);
          sent[p]?.push(msg);
          const outcome = await rig.answer(msg);
          if (!outcome.ok) failures.push(msg.content);
        });
      try {
        await runHalf(0);
        const heapAtHalf = await settledHeap(gc);
        await runHalf(half);
        const heapAtEnd = await settledHeap(gc);
        const all = sent.flat();
        console.info(
          `soak: ${all.length} messages, heap ${(heapAtHalf / 1048576).toFixed(1)} MB at half → ${(heapAtEnd / 1048576).toFixed(1)} MB at end`,
        );

        // Delivery: every message answered, its reply on Discord exactly once, complete.
        expect(all).toHaveLength(MESSAGES);
        expect(failures).toEqual([]);
        const wrong = all.filter((msg) => {
          const replies = rig.repliesTo(msg);
          return replies.length !== 1 || replies[0]?.content !== expectedReply(msg);
        });
        expect(wrong.map((msg) => msg.content)).toEqual([]);
        // Nothing extra: the bot posted exactly one message per incoming message.
        const channels = new Set(all.map((msg) => msg.channelId));
        const posted = [...channels].reduce((n, id) => n + rig.botMessages(id).length, 0);
        expect(posted).toBe(MESSAGES);
        // Per-channel order: each channel (guild channel or DM) is fed by one pipeline, one message at
        // a time; its replies appear in the order its messages were sent.
        const byChannel = new Map<string, string[]>();
        for (const msg of sent.flat())
          byChannel.set(msg.channelId, [...(byChannel.get(msg.channelId) ?? []), msg.id]);
        expect(byChannel.size).toBe(GUILD_PIPELINES + (PIPELINES - GUILD_PIPELINES) * DM_USERS_PER_PIPELINE);
        for (const [channelId, ids] of byChannel) {
          expect(rig.botMessages(channelId).map((m) => m.message_reference?.message_id)).toEqual(ids);
        }

        // Accounting: one pipeline_complete per message, one SLO pipeline sample per message.
        expect(rig.completed).toHaveLength(MESSAGES);
        expect(new Set(rig.completed).size).toBe(MESSAGES);
        const slo = rig.parts.slo.getCurrentSloStatus();
        expect(slo.phases.pipeline?.totalSamples).toBe(MESSAGES);
        expect(slo.phases.llm?.totalSamples).toBe(MESSAGES);
        expect(slo.totals.dropped).toBe(0);

        // Memory bounds: LRUs and windows hold their bounds, queues drained, pool reused.
        expect(slo.phases.pipeline?.samples).toBeLessThanOrEqual(SLO_WINDOW_MAX);
        const cache = rig.parts.sessions.getStats();
        expect(cache.profiles).toBeLessThanOrEqual(MAX_PROFILES);
        expect(cache.conversations).toBeLessThanOrEqual(MAX_CONVERSATIONS);
        expect(cache.evictions).toBeGreaterThan(0);
        expect(cache.inflight).toBe(0);
        expect(rig.parts.sender.getStats()).toMatchObject({ queueDepth: 0, inFlight: 0, failures: 0 });
        const llm = rig.parts.llm.getStats();
        expect(llm).toMatchObject({ requests: MESSAGES, successes: MESSAGES, failures: 0, retries: 0 });
        expect(rig.openRouter.connectionCount).toBeLessThanOrEqual(rig.config.OPENROUTER_MODELS.length * 20);
        expect(heapAtEnd - heapAtHalf).toBeLessThan(HEAP_GROWTH_LIMIT_BYTES);
      } finally {
        await rig.close();
      }
      // Handles: after close, the process holds what it held before the soak (sockets close asynchronously).
      expect(await settledResourceCount(baselineResources)).toBeLessThanOrEqual(baselineResources);
    },
    SOAK_TIMEOUT_MS,
  );
});
