import type { OpenRouterEvents } from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const fx = useOpenRouterFixture();
const messages = [{ role: 'user' as const, content: 'hi' }];

function record(events: Array<keyof OpenRouterEvents>) {
  const seen: Array<{ event: string; context: unknown }> = [];
  for (const event of events) {
    fx.client.on(event, (payload) =>
      seen.push({ event, context: (payload as { context?: unknown }).context }),
    );
  }
  return seen;
}

describe('OpenRouterClient call context', () => {
  it("echoes a call's context on its retry and fallback events, and only on its own", async () => {
    fx.makeClient({ maxRetries: 1 });
    fx.fake.script('a', { status: 503 });
    const seen = record(['retry', 'fallback']);
    await fx.client.chat({ messages }, { context: { corr_id: 'a1b2c3d4' } });
    expect(seen).toEqual([
      { event: 'retry', context: { corr_id: 'a1b2c3d4' } },
      { event: 'fallback', context: { corr_id: 'a1b2c3d4' } },
    ]);
    seen.length = 0;
    fx.fake.script('b', { status: 503 });
    await fx.client.chat({ messages, model: 'b', models: ['b', 'a'] }).catch(() => undefined);
    expect(seen.length).toBeGreaterThan(0);
    for (const entry of seen) expect(entry.context).toBeUndefined();
  });

  it('echoes it on a stream restarted after a mid-stream failure', async () => {
    fx.makeClient({ maxRetries: 0 });
    fx.fake.script('a', { reply: 'one two three', midStreamError: { afterTokens: 1, code: 502 } });
    const seen = record(['fallback', 'reset']);
    const items = [];
    for await (const item of fx.client.stream({ messages }, { context: { corr_id: 'deadbeef' } }))
      items.push(item.type);
    expect(items).toContain('reset');
    expect(seen.map((s) => s.event)).toEqual(['fallback', 'reset']);
    for (const entry of seen) expect(entry.context).toEqual({ corr_id: 'deadbeef' });
  });
});
