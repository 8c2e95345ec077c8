import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

describe('OpenRouterClient stream idle watchdog', () => {
  it('a consumer that is slow between items does not trip the idle watchdog', async () => {
    makeClient({ streamIdleTimeoutMs: 600 });
    const words = Array.from({ length: 20 }, (_, index) => `w${index}`);
    fx.fake.script('a', { reply: words.join(' '), tokenIntervalMs: 100 });
    const items: string[] = [];
    let text = '';
    for await (const item of fx.client.stream({ messages })) {
      items.push(`${item.type}:${item.model}`);
      if (item.type === 'delta') text += item.delta;
      if (items.length === 1) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(items.filter((item) => item !== 'delta:a')).toEqual(['done:a']);
    expect(text.split(' ').filter(Boolean)).toEqual(words);
    expect(fx.client.getStats().resets).toBe(0);
  });

  it('reasoning tokens before the content count as progress for the stream watchdog', async () => {
    makeClient({ streamFirstTokenTimeoutMs: 500, streamIdleTimeoutMs: 500 });
    const reasoning = Array.from({ length: 15 }, (_, index) => `think${index} `);
    fx.fake.script('a', { reasoning, reply: 'the answer', tokenIntervalMs: 80 });
    const items: string[] = [];
    for await (const item of fx.client.stream({ messages })) items.push(`${item.type}:${item.model}`);
    expect(items).toEqual(['delta:a', 'delta:a', 'done:a']);
    expect(fx.fake.requestCount).toBe(1);
  });
});
