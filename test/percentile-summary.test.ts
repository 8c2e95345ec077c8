import { FastPathRouter, type PercentileSummary } from 'chatlane';
import { ManualClock, snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const fx = useDiscordFixture({ token: 'summary-token' });

const anySummary = (count: number): PercentileSummary => ({
  p50: expect.any(Number),
  p95: expect.any(Number),
  p99: expect.any(Number),
  count,
});

describe('latency stats share one PercentileSummary shape', () => {
  it('FastPathRouter.getStats().decisionMs is { p50, p95, p99, count } over its decisions', async () => {
    let tick = 0;
    // Each decision reads the clock twice: start, end; decision i takes i ms.
    const reads = [0, 1, 10, 12, 20, 23, 30, 34];
    const clock = new ManualClock();
    clock.now = () => reads[tick++] ?? 0;
    const router = new FastPathRouter({ clock });
    expect(router.getStats().decisionMs).toBeUndefined();
    for (let i = 0; i < 4; i += 1) await router.route({ text: 'hi', isDM: true });
    expect(router.getStats().decisionMs).toEqual({ p50: 2, p95: 4, p99: 4, count: 4 });
  });

  it('DiscordSender.getStats() reports queue wait and send latency as summaries, undefined before any', async () => {
    const sender = fx.makeSender();
    expect(sender.getStats().sendLatencyMs).toBeUndefined();
    expect(sender.getStats().queueWaitMs).toBeUndefined();
    await sender.send(snowflake(), 'one');
    await sender.send(snowflake(), 'two');
    expect(sender.getStats().sendLatencyMs).toEqual(anySummary(2));
    expect(sender.getStats().queueWaitMs).toEqual(anySummary(2));
  });
});
