/**
 * Issue #15: only the half-open probe closes an open breaker. A call admitted before the breaker
 * opened may count toward opening it, but its late success never closes it and its late failure
 * never decides a half-open breaker (docs/openrouter-client.md, "Late results").
 */
import type { ChatResult } from 'chatlane';
import { describe, expect, it, vi } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();

/** Breaker transitions of the running test's client, in order. */
function watchBreaker(): string[] {
  const log: string[] = [];
  fx.client.on('breakerOpen', ({ model }) => log.push(`open:${model}`));
  fx.client.on('breakerClose', ({ model }) => log.push(`close:${model}`));
  return log;
}

describe('late results and the breaker (failureThreshold 2, maxRetries 0, fallback b)', () => {
  it('a success that was in flight when the breaker opened does not close it; the next call falls back', async () => {
    fx.makeClient({ maxRetries: 0 });
    const log = watchBreaker();
    // A and B fail (503 after 200 ms) and open the breaker; C, sent while they are in flight, gets
    // a slow success (600 ms) that arrives after the breaker opened.
    fx.fake.script('a', [
      { status: 503, latencyMs: 200 },
      { status: 503, latencyMs: 200 },
      { reply: 'late but fine', latencyMs: 600 },
    ]);
    const a = fx.client.chat({ messages });
    const b = fx.client.chat({ messages });
    await vi.waitFor(() => expect(fx.fake.requestsFor('a')).toHaveLength(2));
    const c = fx.client.chat({ messages });
    const results: ChatResult[] = await Promise.all([a, b, c]);
    expect(results.map((result) => result.model)).toEqual(['b', 'b', 'a']);

    expect(log).toEqual(['open:a']); // C's success did not close it (before the fix: open, then close)
    expect(fx.client.getStats().models.a).toMatchObject({
      breaker: 'open',
      consecutiveFailures: 2,
      lateBreakerVerdicts: 1,
    });
    const d = await fx.client.chat({ messages });
    expect(d.model).toBe('b'); // D is not sent to the failing primary
    expect(fx.fake.requestsFor('a')).toHaveLength(3);
  });

  it('mirror: a late failure while half-open does not decide; the probe closes the breaker', async () => {
    fx.makeClient({ maxRetries: 0, breaker: { failureThreshold: 2, cooldownMs: 300 } });
    const log = watchBreaker();
    fx.fake.script('a', [
      { status: 503, latencyMs: 100 }, // A
      { status: 503, latencyMs: 100 }, // B
      { status: 503, latencyMs: 1_500 }, // X: admitted before the open, fails while the probe runs
      { reply: 'recovered', latencyMs: 2_500 }, // P: the half-open probe
    ]);
    const a = fx.client.chat({ messages });
    const b = fx.client.chat({ messages });
    const x = fx.client.chat({ messages });
    await Promise.all([a, b]);
    await vi.waitFor(() => expect(fx.client.getStats().models.a?.breaker).toBe('half_open'), {
      timeout: 5_000,
    });
    const probe = fx.client.chat({ messages });
    await vi.waitFor(() => expect(fx.fake.requestsFor('a')).toHaveLength(4));

    expect((await x).model).toBe('b'); // X fell back after its late failure…
    expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'half_open', lateBreakerVerdicts: 1 });
    expect(log).toEqual(['open:a']); // …which neither reopened the breaker nor freed the probe slot

    expect((await probe).model).toBe('a');
    expect(log).toEqual(['open:a', 'close:a']);
    expect(fx.client.getStats().models.a).toMatchObject({ breaker: 'closed', consecutiveFailures: 0 });
  });
});
