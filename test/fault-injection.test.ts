/**
 * Fault injection through the reference bot's pipeline (`answerMessage`, every primitive real):
 * transient failures, stalled models, slow tails and a total outage on the fake OpenRouter.
 * Asserts outcomes and counts — what the user sees on the fake Discord — never timings.
 * (429 storms and broken streams: fault-injection-stream.test.ts.)
 */
import { FAILURE_REPLIES } from 'chatlane';
import { seededRandom } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { type Answered, echoBehaviour, type Rig, runLoad, tally, useRig } from './helpers/pipeline-rig.ts';

const CONCURRENCY = 20;
/** Short timeouts so a stalled model costs little test time (the values are not asserted). */
const SHORT_TIMEOUTS = { readTimeoutMs: 300, streamFirstTokenTimeoutMs: 300, streamIdleTimeoutMs: 300 };

const start = useRig((options) => ({ guildChannels: 4, ...options }));

function primaryOf(r: Rig): string {
  return r.config.OPENROUTER_MODELS[0] ?? '';
}

/** Every message got one `pipeline_complete`, and the bot posted exactly one message per message. */
function expectAccounted(r: Rig, answered: Answered[]): void {
  expect(r.completed.toSorted()).toEqual(answered.map((a) => a.msg.id).toSorted());
  const channels = new Set(answered.map((a) => a.msg.channelId));
  const posted = [...channels].reduce((n, id) => n + r.botMessages(id).length, 0);
  expect(posted).toBe(answered.length);
}

describe('fault injection: 30 % transient failures on the primary model', () => {
  const N = 500;

  it('answers ≥ 99.9 % of 500 messages in full (breakers on, library defaults)', async () => {
    const r = await start({ assemble: { llmOptions: { random: seededRandom(3) } } });
    r.openRouter.script(primaryOf(r), echoBehaviour({ failureRatio: 0.3, seed: 42 }));
    const answered = await runLoad(r, N, CONCURRENCY);
    const seen = tally(r, answered);
    const rate = answered.filter((a) => a.outcome.ok).length / N;
    console.info(`30 % failures, breakers on: ${(rate * 100).toFixed(2)} % answered in full`, seen);
    expect(rate).toBeGreaterThanOrEqual(0.999);
    expect(seen.wrong).toBe(0);
    expect(seen.answer + seen.polite).toBe(N);
    expectAccounted(r, answered);
    expect(r.parts.llm.getStats().failuresByKind.OPENROUTER_HTTP).toBeGreaterThan(0);
  });

  it('answers ≥ 99.9 % in full when every failure is retried (breaker held closed): retries, then fallback', async () => {
    const r = await start({
      assemble: { llmOptions: { random: seededRandom(4), breaker: { failureThreshold: 1_000_000 } } },
    });
    r.openRouter.script(primaryOf(r), echoBehaviour({ failureRatio: 0.3, seed: 7 }));
    const answered = await runLoad(r, N, CONCURRENCY);
    const seen = tally(r, answered);
    const rate = answered.filter((a) => a.outcome.ok).length / N;
    const stats = r.parts.llm.getStats();
    console.info(`30 % failures, retries only: ${(rate * 100).toFixed(2)} % answered in full`, seen, {
      retries: stats.retries,
      fallbacks: stats.fallbacks,
    });
    expect(rate).toBeGreaterThanOrEqual(0.999);
    expect(seen).toEqual({ answer: N, polite: 0, wrong: 0 });
    expectAccounted(r, answered);
    expect(stats.retries).toBeGreaterThan(0);
    // No storm: each message costs at most (1 + maxRetries) attempts on the primary plus one fallback.
    expect(stats.attempts).toBeLessThanOrEqual(N * 4);
  });

  it('answers ≥ 99.9 % in full when the 30 % fail after their first token (reset onto the next model)', async () => {
    const r = await start({ assemble: { llmOptions: { random: seededRandom(5) } } });
    const failure = { midStreamError: { afterTokens: 1, code: 502 } };
    r.openRouter.script(primaryOf(r), echoBehaviour({ failureRatio: 0.3, seed: 11, failure }));
    const answered = await runLoad(r, N, CONCURRENCY);
    const seen = tally(r, answered);
    const rate = answered.filter((a) => a.outcome.ok).length / N;
    console.info(`30 % mid-stream failures: ${(rate * 100).toFixed(2)} % answered in full`, seen);
    expect(rate).toBeGreaterThanOrEqual(0.999);
    expect(seen.wrong).toBe(0);
    expect(r.parts.llm.getStats().resets).toBeGreaterThan(0);
    expectAccounted(r, answered);
  });
});

describe('fault injection: timeouts and slow tails', () => {
  it('a primary that never answers (no headers) falls back on the read timeout', async () => {
    const r = await start({ assemble: { llmOptions: SHORT_TIMEOUTS } });
    const [primary, second] = r.config.OPENROUTER_MODELS;
    r.openRouter.script(primary ?? '', { stall: 'before_headers' });
    const answered = await runLoad(r, 40, CONCURRENCY);
    expect(tally(r, answered)).toEqual({ answer: 40, polite: 0, wrong: 0 });
    expect(answered.every((a) => a.outcome.ok && a.outcome.model === second)).toBe(true);
    expect(r.parts.llm.getStats().failuresByKind.OPENROUTER_TIMEOUT).toBeGreaterThan(0);
    expectAccounted(r, answered);
  });

  it('a primary that only sends keep-alive comments falls back on the first-token watchdog', async () => {
    const r = await start({ assemble: { llmOptions: SHORT_TIMEOUTS } });
    const [primary, second] = r.config.OPENROUTER_MODELS;
    r.openRouter.script(primary ?? '', { stall: { afterTokens: 0, commentEveryMs: 20 } });
    const answered = await runLoad(r, 40, CONCURRENCY);
    expect(tally(r, answered)).toEqual({ answer: 40, polite: 0, wrong: 0 });
    expect(answered.every((a) => a.outcome.model === second)).toBe(true);
    expectAccounted(r, answered);
  });

  it('a primary that stalls after its first token restarts on the next model: the whole answer, no partial text', async () => {
    const r = await start({ assemble: { llmOptions: SHORT_TIMEOUTS } });
    const [primary, second] = r.config.OPENROUTER_MODELS;
    r.openRouter.script(primary ?? '', echoBehaviour({ stall: { afterTokens: 1, commentEveryMs: 20 } }));
    const answered = await runLoad(r, 40, CONCURRENCY);
    expect(tally(r, answered)).toEqual({ answer: 40, polite: 0, wrong: 0 });
    expect(answered.every((a) => a.outcome.model === second)).toBe(true);
    expect(r.parts.llm.getStats().resets).toBeGreaterThan(0);
    expectAccounted(r, answered);
  });

  it('every model stalled: the total deadline ends the call with the polite "took too long" reply', async () => {
    const r = await start({
      openRouter: { stall: 'before_headers' },
      assemble: { llmOptions: { ...SHORT_TIMEOUTS, totalTimeoutMs: 600 } },
    });
    const answered = await runLoad(r, 20, CONCURRENCY);
    for (const { msg, outcome } of answered) {
      expect(outcome.ok).toBe(false);
      expect(r.repliesTo(msg).map((m) => m.content)).toEqual([FAILURE_REPLIES.timeout]);
    }
    expectAccounted(r, answered);
  });

  it('slow tails on OpenRouter (past the typing delay) and Discord: every message answered, nothing retried', async () => {
    const random = seededRandom(21);
    const r = await start({
      openRouter: echoBehaviour({ failureRatio: 0.1, seed: 5, failure: { ttftMs: 1_000 } }),
      discord: { latencyMs: () => (random() < 0.1 ? 150 : 0) },
    });
    const answered = await runLoad(r, 100, CONCURRENCY);
    expect(tally(r, answered)).toEqual({ answer: 100, polite: 0, wrong: 0 });
    expect(r.parts.llm.getStats()).toMatchObject({ retries: 0, fallbacks: 0, failures: 0 });
    const sender = r.parts.sender.getStats();
    expect(sender).toMatchObject({ failures: 0, queueDepth: 0, inFlight: 0 });
    // The slow answers showed a typing indicator (after 800 ms); it never failed a reply.
    expect(sender.typing.sent).toBeGreaterThan(0);
    expect(sender.typing.failed).toBe(0);
    expectAccounted(r, answered);
  });
});

describe('fault injection: total outage', () => {
  it('every message gets the polite "unavailable" reply, and the breakers stop the requests', async () => {
    const r = await start({
      openRouter: { status: 503 },
      assemble: { llmOptions: { random: seededRandom(8) } },
    });
    const N = 100;
    const answered = await runLoad(r, N, CONCURRENCY);
    expect(answered.every((a) => !a.outcome.ok)).toBe(true);
    for (const { msg } of answered) {
      expect(r.repliesTo(msg).map((m) => m.content)).toEqual([FAILURE_REPLIES.unavailable]);
    }
    expectAccounted(r, answered);
    expect(r.eventCounts.get('pipeline_failed')).toBe(N);
    // Breakers open after 2 consecutive failures: far fewer requests than messages × attempts.
    const models = r.config.OPENROUTER_MODELS.length;
    expect(r.openRouter.requestCount).toBeLessThanOrEqual(models * CONCURRENCY * 3);
    expect(r.openRouter.requestCount).toBeLessThan(N);
  });
});
