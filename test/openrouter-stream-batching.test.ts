/**
 * What arrived since the caller last asked reaches it as one delta: the same text with one
 * hand-over instead of one per token. Tokens that arrive apart while the caller waits stay apart.
 * Nothing before an in-band error in the same batch is lost.
 */
import { setTimeout as sleep } from 'node:timers/promises';
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

describe('stream deltas per batch', () => {
  it('tokens that arrive together are one delta with the same text', async () => {
    fx.makeClient({ models: ['a'] });
    const body = `${['Hello', ' there', ',', ' friend', '.'].map(chunk).join('')}data: [DONE]\n\n`;
    fx.fake.script('a', { raw: { contentType: 'text/event-stream', body } });
    const { seen } = await collect(fx.client.stream({ messages }));
    expect(text(seen)).toBe('Hello there, friend.');
    expect(seen.filter((item) => item.type === 'delta')).toHaveLength(1);
    expect(seen.at(-1)).toMatchObject({ type: 'done', model: 'a' });
  });

  it('tokens that arrive while the caller is busy are joined; tokens that arrive apart stay apart', async () => {
    fx.makeClient({ models: ['a'] });
    const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
    fx.fake.script('a', { tokens: words, tokenIntervalMs: 2 });
    const deltas: string[] = [];
    for await (const item of fx.client.stream({ messages })) {
      if (item.type !== 'delta') continue;
      deltas.push(item.delta);
      await sleep(25); // a slow consumer (a Discord edit, say): ~12 tokens arrive meanwhile
    }
    expect(deltas.join('')).toBe(words.join(''));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.length).toBeLessThan(words.length / 2);

    const apart: string[] = [];
    fx.fake.script('a', { tokens: ['one ', 'two ', 'three'], tokenIntervalMs: 40 });
    for await (const item of fx.client.stream({ messages }))
      if (item.type === 'delta') apart.push(item.delta);
    expect(apart).toEqual(['one ', 'two ', 'three']);
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
