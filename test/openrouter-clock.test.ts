import { TimeoutError } from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture({ apiKey: 'sk-test', models: ['a', 'b'] });

describe('OpenRouterClient `clock` option', () => {
  it('measures latencies on the injected clock', async () => {
    const clock = new ManualClock(1_000);
    fx.makeClient({ clock });
    await fx.client.chat({ messages });
    // The clock never moved during the call: latency and time to headers are exactly 0.
    expect(fx.client.getStats().models.a?.latency).toEqual({ p50: 0, p95: 0, p99: 0, count: 1 });
    expect(fx.client.getStats().models.a?.ttft).toEqual({ p50: 0, p95: 0, p99: 0, count: 1 });
  });

  it('runs the total deadline on the injected clock: the call ends when the test advances it', async () => {
    const clock = new ManualClock();
    fx.makeClient({ clock, totalTimeoutMs: 60_000 });
    fx.fake.setDefault({ stall: 'before_headers' });
    const pending = fx.client.chat({ messages }).catch((e: unknown) => e);
    while (fx.fake.requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    clock.advance(60_000);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'total' });
  });
});
