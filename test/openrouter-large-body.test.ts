import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

describe('OpenRouterClient large non-streamed body', () => {
  it('reads a non-streamed body that arrives in many chunks (no backpressure stall)', async () => {
    makeClient({ models: ['a'], maxRetries: 0, totalTimeoutMs: 10_000 });
    const big = 'x'.repeat(6 * 1024 * 1024);
    fx.fake.script('a', { reply: big, tokens: ['x'] });
    const result = await fx.client.chat({ messages });
    expect(result.text).toHaveLength(big.length);
  });
});
