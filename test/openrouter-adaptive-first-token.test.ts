/**
 * The first-token deadline adapts to each model (issue #13): multiplier × its observed p95 time to
 * first token, within floorMs and streamFirstTokenTimeoutMs; a stalled model with a fallback left
 * is given up at that deadline, without retries on it.
 */
import { type OpenRouterStreamItem, TimeoutError } from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
/** Answers a model needs before its observed p95 is used (OR_HEDGE_MIN_SAMPLES). */
const WARM_UP = 20;
const fx = useOpenRouterFixture();

async function drain(items: AsyncIterable<OpenRouterStreamItem>): Promise<OpenRouterStreamItem[]> {
  const seen: OpenRouterStreamItem[] = [];
  for await (const item of items) seen.push(item);
  return seen;
}

/** Streams `n` answers from the primary at its scripted pace. */
async function warmUp(n = WARM_UP): Promise<void> {
  for (let i = 0; i < n; i += 1) await drain(fx.client.stream({ messages }));
}

/** The first-token timeout the primary's stall was given up with, via the fallback event. */
async function stalledPrimaryTimeout(): Promise<{
  timeout: TimeoutError;
  attemptsOnPrimary: number;
  items: OpenRouterStreamItem[];
}> {
  const before = fx.fake.requestsFor('a').length;
  fx.fake.script('a', { stall: { afterTokens: 0 } });
  let timeout: TimeoutError | undefined;
  fx.client.on('fallback', ({ error }) => {
    if (error instanceof TimeoutError) timeout = error;
  });
  const items = await drain(fx.client.stream({ messages }));
  if (!timeout) throw new Error('the primary was not given up with a TimeoutError');
  return { timeout, attemptsOnPrimary: fx.fake.requestsFor('a').length - before, items };
}

describe('adaptive first-token deadline', () => {
  it('uses multiplier × the observed p95, at least floorMs, and gives a stalled primary up without retrying it', async () => {
    fx.makeClient({ adaptiveFirstToken: { multiplier: 3, floorMs: 300 }, streamFirstTokenTimeoutMs: 10_000 });
    fx.fake.setDefault({ ttftMs: 20, reply: 'fine' });
    await warmUp();
    const p95 = fx.client.getStats().models.a?.ttft?.p95 ?? Number.NaN;
    const { timeout, attemptsOnPrimary, items } = await stalledPrimaryTimeout();
    expect(timeout.kind).toBe('first_token');
    expect(timeout.timeoutMs).toBeGreaterThanOrEqual(300);
    expect(timeout.timeoutMs).toBe(Math.min(10_000, Math.max(300, Math.ceil(p95 * 3))));
    expect(attemptsOnPrimary).toBe(1); // no retry on a stall while the fallback can answer
    expect(items.at(-1)).toMatchObject({ type: 'done', model: 'b' });
  });

  it('keeps the fixed deadline until a model has enough answers', async () => {
    fx.makeClient({ adaptiveFirstToken: { floorMs: 100 }, streamFirstTokenTimeoutMs: 600 });
    fx.fake.setDefault({ ttftMs: 5 });
    await warmUp(WARM_UP - 1);
    const { timeout } = await stalledPrimaryTimeout();
    expect(timeout.timeoutMs).toBe(600);
  });

  it('never goes past streamFirstTokenTimeoutMs, and `false` turns it off', async () => {
    fx.makeClient({ adaptiveFirstToken: { multiplier: 50, floorMs: 100 }, streamFirstTokenTimeoutMs: 400 });
    fx.fake.setDefault({ ttftMs: 20 });
    await warmUp();
    expect((await stalledPrimaryTimeout()).timeout.timeoutMs).toBe(400);

    await fx.client.close();
    fx.fake.reset();
    fx.makeClient({ adaptiveFirstToken: false, streamFirstTokenTimeoutMs: 500 });
    fx.fake.setDefault({ ttftMs: 5 });
    await warmUp();
    expect((await stalledPrimaryTimeout()).timeout.timeoutMs).toBe(500);
  });

  it('a single model (no fallback) keeps its retries on a stall', async () => {
    fx.makeClient({ models: ['a'], streamFirstTokenTimeoutMs: 200, maxRetries: 1 });
    fx.fake.script('a', [{ stall: { afterTokens: 0 } }, { reply: 'second time lucky' }]);
    const items = await drain(fx.client.stream({ messages }));
    expect(items.at(-1)).toMatchObject({ type: 'done', model: 'a', attempts: 2 });
  });
});
