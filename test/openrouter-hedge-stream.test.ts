import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const fx = useOpenRouterFixture();
const messages = [{ role: 'user' as const, content: 'hi' }];

async function drain(stream: AsyncIterable<{ type: string; model?: string }>): Promise<string | undefined> {
  let model: string | undefined;
  for await (const item of stream) if (item.type === 'done') model = item.model;
  return model;
}

describe('hedged streams', () => {
  it("wait for the model's p95 time to first token, not its p95 of whole generations", async () => {
    // Model a: first token at once, then a long generation (~8 × 50 ms).
    fx.fake.script('a', { reply: 'one two three four five six seven eight', tokenIntervalMs: 50 });
    fx.makeClient({ hedge: true });
    const hedges: string[] = [];
    fx.client.on('hedge', ({ hedge }) => hedges.push(hedge));
    for (let batch = 0; batch < 2; batch++) {
      // 12 at a time stays under the pool's 20 connections: no stream waits for a socket.
      await Promise.all(Array.from({ length: 12 }, () => drain(fx.client.stream({ messages }))));
    }
    expect(hedges).toEqual([]); // fast first tokens: nothing to hedge
    // Now a's first token takes 200 ms: far past its p95 TTFT (a few ms), half its p95 generation (~400 ms).
    fx.fake.script('a', { reply: 'late', ttftMs: 200 });
    expect(await drain(fx.client.stream({ messages }))).toBe('b');
    expect(hedges).toEqual(['b']);
  });
});
