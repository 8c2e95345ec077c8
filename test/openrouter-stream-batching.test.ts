/**
 * The events of one network read reach the caller as one delta: the same text with one hand-over
 * instead of one per token. Nothing before an in-band error in the same read is lost.
 */
import type { OpenRouterStreamItem } from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();

const event = (payload: object) => `data: ${JSON.stringify(payload)}\n\n`;
const chunk = (content: string) =>
  event({
    id: 'g',
    object: 'chat.completion.chunk',
    model: 'a',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });

async function collect(
  items: AsyncIterable<OpenRouterStreamItem>,
): Promise<{ seen: OpenRouterStreamItem[]; error?: unknown }> {
  const seen: OpenRouterStreamItem[] = [];
  try {
    for await (const item of items) seen.push(item);
  } catch (error) {
    return { seen, error };
  }
  return { seen };
}
const text = (items: OpenRouterStreamItem[]) =>
  items.map((item) => (item.type === 'delta' ? item.delta : '')).join('');

describe('stream deltas per network read', () => {
  it('tokens that arrive together are one delta with the same text', async () => {
    fx.makeClient({ models: ['a'] });
    const body = `${['Hello', ' there', ',', ' friend', '.'].map(chunk).join('')}data: [DONE]\n\n`;
    fx.fake.script('a', { raw: { contentType: 'text/event-stream', body } });
    const { seen } = await collect(fx.client.stream({ messages }));
    expect(text(seen)).toBe('Hello there, friend.');
    expect(seen.filter((item) => item.type === 'delta')).toHaveLength(1);
    expect(seen.at(-1)).toMatchObject({ type: 'done', model: 'a' });
  });

  it('the text before an in-band error in the same read still reaches the caller, then the error', async () => {
    fx.makeClient({ models: ['a'], maxRetries: 0 });
    const failure = event({
      id: 'g',
      object: 'chat.completion.chunk',
      model: 'a',
      error: { code: 502, message: 'Provider disconnected' },
      choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
    });
    fx.fake.script('a', {
      raw: { contentType: 'text/event-stream', body: `${chunk('Half')}${chunk(' an answer')}${failure}` },
    });
    const { seen, error } = await collect(fx.client.stream({ messages }, { recovery: 'error' }));
    expect(text(seen)).toBe('Half an answer');
    expect(error).toMatchObject({ code: 'OPENROUTER_HTTP', effectiveStatus: 502 });
  });
});
