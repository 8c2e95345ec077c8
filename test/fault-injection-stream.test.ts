/**
 * Fault injection through the reference bot's pipeline, part two: 429 storms (OpenRouter with
 * `Retry-After`, Discord with scripted 429s) and broken streams (malformed chunks, dropped
 * connections, in-band errors after the first token). Asserts outcomes and request counts, never
 * timings: the user sees the whole answer or a polite notice — never a silent short answer.
 */
import { FAILURE_REPLIES } from 'chatlane';
import { type FakeBehaviour, type FakeRecordedRequest, seededRandom } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import {
  type Answered,
  echoBehaviour,
  type Rig,
  runLoad,
  tagOf,
  tally,
  useRig,
} from './helpers/pipeline-rig.ts';

const CONCURRENCY = 20;
const N = 100;
/** Answers whose two tokens arrive apart, so each reply is a create and then an edit. */
const STREAMED_IN_TWO = { openRouter: echoBehaviour({ tokenIntervalMs: 5 }) };

const start = useRig((options) => ({
  guildChannels: 4,
  ...options,
  assemble: {
    ...options.assemble,
    llmOptions: { random: seededRandom(9), ...options.assemble?.llmOptions },
  },
}));

function expectAccounted(r: Rig, answered: Answered[]): void {
  expect(r.completed.toSorted()).toEqual(answered.map((a) => a.msg.id).toSorted());
  const channels = new Set(answered.map((a) => a.msg.channelId));
  const posted = [...channels].reduce((n, id) => n + r.botMessages(id).length, 0);
  expect(posted).toBe(answered.length);
}

describe('fault injection: 429 storms', () => {
  it('OpenRouter 429s with Retry-After on the primary: answered, delays honoured, no retry storm', async () => {
    const r = await start();
    const [primary] = r.config.OPENROUTER_MODELS;
    const storm: FakeBehaviour = { status: 429, retryAfterMs: 40 };
    r.openRouter.script(primary ?? '', [...Array.from({ length: 30 }, () => storm), echoBehaviour()]);
    const retryDelays: number[] = [];
    r.parts.llm.on('retry', (event) => retryDelays.push(event.delayMs));
    const answered = await runLoad(r, N, CONCURRENCY);
    expect(tally(r, answered)).toEqual({ answer: N, polite: 0, wrong: 0 });
    expectAccounted(r, answered);
    expect(retryDelays.every((ms) => ms >= 40)).toBe(true);
    // Bounded: the breaker opens after 2 consecutive 429s; at most the calls in flight retry meanwhile.
    const maxRetries = 2;
    expect(r.parts.llm.getStats().attempts).toBeLessThanOrEqual(N + CONCURRENCY * (maxRetries + 1));
  });

  it('a storm of Discord 429s (per route and global): every reply delivered exactly once, requests bounded', async () => {
    const r = await start(STREAMED_IN_TWO);
    r.discord.script429({ method: 'POST', path: '/messages', retryAfterMs: 30, times: 25 });
    r.discord.script429({ method: 'PATCH', path: '/messages', retryAfterMs: 30, times: 25 });
    r.discord.script429({ retryAfterMs: 30, global: true, scope: 'global', times: 5 });
    const answered = await runLoad(r, N, CONCURRENCY);
    expect(tally(r, answered)).toEqual({ answer: N, polite: 0, wrong: 0 });
    expectAccounted(r, answered);
    const rest = r.discord.requests;
    const limited = rest.filter((req) => req.status === 429).length;
    expect(limited).toBe(55);
    expect(r.parts.sender.getStats().rateLimited).toBeGreaterThanOrEqual(limited);
    // Each reply is one create and one edit; every 429 costs one repeat, plus a little slack for a
    // stale edit replaced (or a typing call) while waiting. Nothing close to a storm.
    const writes = rest.filter((req) => req.method !== 'GET').length;
    expect(writes).toBeLessThanOrEqual(2 * N + limited + N / 4);
  });
  it('Discord 5xx (a create applied before the error, failed edits): retried by discord.js, never duplicated', async () => {
    const r = await start(STREAMED_IN_TWO);
    r.discord.scriptError({ method: 'POST', path: '/messages', status: 500, afterApply: true, times: 10 });
    r.discord.scriptError({ method: 'PATCH', path: '/messages', status: 502, times: 10 });
    const answered = await runLoad(r, N, CONCURRENCY);
    expect(tally(r, answered)).toEqual({ answer: N, polite: 0, wrong: 0 });
    expectAccounted(r, answered);
    expect(r.discord.requests.filter((req) => req.status >= 500)).toHaveLength(20);
  });
});

describe('fault injection: broken streams (reset recovery)', () => {
  // [name, fault, whether the user saw text before the fault (then the stream is reset)]
  const broken: Array<[string, FakeBehaviour, boolean]> = [
    ['malformed chunk after the first token', { malformed: { afterTokens: 1 } }, true],
    ['connection dropped after the first token', { disconnect: { afterTokens: 1 } }, true],
    ['in-band error after the first token', { midStreamError: { afterTokens: 1, code: 502 } }, true],
    ['malformed body before any token', { malformed: true }, false],
    ['connection dropped before the headers', { disconnect: 'before_headers' }, false],
  ];

  for (const [name, fault, midStream] of broken) {
    it(`${name} on the primary: the final message is the whole answer of the next model`, async () => {
      const r = await start();
      const [primary, second] = r.config.OPENROUTER_MODELS;
      r.openRouter.script(primary ?? '', echoBehaviour(fault));
      const answered = await runLoad(r, 40, CONCURRENCY);
      expect(tally(r, answered)).toEqual({ answer: 40, polite: 0, wrong: 0 });
      expect(answered.every((a) => a.outcome.ok && a.outcome.model === second)).toBe(true);
      expectAccounted(r, answered);
      const resets = r.parts.llm.getStats().resets;
      if (midStream) expect(resets).toBeGreaterThan(0);
      else expect(resets).toBe(0);
    });
  }

  it('a long answer (several messages) breaking mid-stream under slow edits: the messages end as the whole new answer', async () => {
    const words = Array.from({ length: 600 }, (_, i) => `w${i}`).join(' ');
    const long = (tag: string) => `ok ${tag} ${words}`;
    const reply = (request: FakeRecordedRequest) => {
      const messages = request.body.messages as Array<{ content: string }>;
      return long(tagOf(messages.at(-1)?.content ?? ''));
    };
    const r = await start({
      openRouter: { reply, tokenIntervalMs: 1 },
      discord: { latencyMs: (request) => (request.method === 'PATCH' ? 150 : 0) },
      assemble: { senderOptions: { editIntervalMs: 50 } },
    });
    const [primary, second] = r.config.OPENROUTER_MODELS;
    r.openRouter.script(primary ?? '', {
      reply,
      tokenIntervalMs: 1,
      midStreamError: { afterTokens: 450, code: 502 },
    });
    const users = Array.from({ length: 10 }, (_, i) => String(430_000_000_000_000_000n + BigInt(i)));
    const results = await Promise.all(
      users.map(async (user, i) => {
        const msg = await r.dmMessage(user, `long${i} please write a lot`);
        return { msg, outcome: await r.answer(msg) };
      }),
    );
    for (const { msg, outcome } of results) {
      expect(outcome).toMatchObject({ ok: true, model: second });
      // A DM channel holds only this reply: its messages, in order, are the whole answer.
      const shown = r.botMessages(msg.channelId).map((m) => m.content);
      expect(shown.length).toBeGreaterThan(1);
      expect(shown.join(' ').replace(/\s+/g, ' ')).toBe(long(tagOf(msg.content)));
    }
    // Each message restarts on the primary while the call has retries on it (2), then on the next model.
    expect(r.parts.llm.getStats().resets).toBe(results.length * 3);
  });

  it('every model breaking mid-stream: the partial text ends with a polite notice, never a silent short answer', async () => {
    const r = await start({ openRouter: echoBehaviour({ midStreamError: { afterTokens: 1, code: 502 } }) });
    const answered = await runLoad(r, 40, CONCURRENCY);
    expect(tally(r, answered)).toEqual({ answer: 0, polite: 40, wrong: 0 });
    expect(answered.every((a) => !a.outcome.ok)).toBe(true);
    for (const { msg } of answered) {
      const [reply] = r.repliesTo(msg);
      const content = reply?.content ?? '';
      const notice = FAILURE_REPLIES.unavailable;
      expect(content === notice || content.endsWith(`\n\n${notice}`), content).toBe(true);
    }
    // The first messages had shown text before the failure: it is kept, followed by the notice.
    const partial = answered.filter((a) => r.repliesTo(a.msg)[0]?.content !== FAILURE_REPLIES.unavailable);
    expect(partial.length).toBeGreaterThan(0);
    expectAccounted(r, answered);
  });
});
