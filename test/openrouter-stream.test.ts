import { AbortError, OpenRouterHttpError, type OpenRouterStreamItem, TimeoutError } from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();
const { makeClient } = fx;

async function collect(iterable: AsyncIterable<OpenRouterStreamItem>): Promise<OpenRouterStreamItem[]> {
  const items: OpenRouterStreamItem[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/**
 * The items as `model:text` (consecutive deltas of one model joined: how the text was cut into
 * deltas depends on how it arrived) and `type:model`.
 */
function summary(items: OpenRouterStreamItem[]): string[] {
  const lines: string[] = [];
  let previous: OpenRouterStreamItem | undefined;
  for (const item of items) {
    if (item.type === 'delta' && previous?.type === 'delta' && previous.model === item.model) {
      lines[lines.length - 1] += item.delta;
    } else {
      lines.push(item.type === 'delta' ? `${item.model}:${item.delta}` : `${item.type}:${item.model}`);
    }
    previous = item;
  }
  return lines;
}

describe('OpenRouterClient.stream', () => {
  it('yields deltas then one done item with usage, ignoring keep-alive comments', async () => {
    makeClient();
    fx.fake.script('a', { reply: 'one two three', comments: 3 });
    const items = await collect(fx.client.stream({ messages }));
    expect(summary(items)).toEqual(['a:one two three', 'done:a']);
    const done = items.at(-1);
    expect(done).toMatchObject({ type: 'done', finishReason: 'stop', attempts: 1 });
    expect(done?.type === 'done' && done.usage?.completionTokens).toBe(3);
    expect(done?.type === 'done' && done.ttftMs).toBeGreaterThan(0);
    expect(fx.fake.requests[0]?.body.stream).toBe(true);
  });

  it('falls back invisibly when a model fails before its first token', async () => {
    makeClient();
    fx.fake.script('a', [{ status: 503 }, { error: { code: 'server_error', message: 'x' } }]);
    const items = await collect(fx.client.stream({ messages }));
    expect(summary(items)).toEqual(['b:Hello from b', 'done:b']);
  });

  it('after the first token, restarts on the next model with a reset item (recovery: reset)', async () => {
    makeClient({ maxRetries: 0 });
    fx.fake.script('a', {
      reply: 'partial answer here',
      midStreamError: { afterTokens: 2, code: 'server_error' },
    });
    const resets: string[] = [];
    fx.client.on('reset', ({ from, model }) => resets.push(`${from}>${model}`));
    const items = await collect(fx.client.stream({ messages }));
    expect(summary(items)).toEqual(['a:partial answer', 'reset:b', 'b:Hello from b', 'done:b']);
    const reset = items.find((item) => item.type === 'reset');
    expect(reset?.type === 'reset' && reset.reason).toBeInstanceOf(OpenRouterHttpError);
    expect(resets).toEqual(['a>b']);
    expect(fx.client.getStats().resets).toBe(1);
  });

  it('with recovery: error, throws the mid-stream error after the text already yielded', async () => {
    makeClient();
    fx.fake.script('a', {
      reply: 'partial answer',
      midStreamError: { afterTokens: 1, code: 502, message: 'provider died' },
    });
    const items: OpenRouterStreamItem[] = [];
    const error = await (async () => {
      for await (const item of fx.client.stream({ messages }, { recovery: 'error' })) items.push(item);
    })().catch((e: unknown) => e);
    expect(summary(items)).toEqual(['a:partial']);
    expect(error).toBeInstanceOf(OpenRouterHttpError);
    expect(error).toMatchObject({ midStream: true, effectiveStatus: 502, retryable: true });
  });

  it('treats a dropped connection mid-stream as an error, never a short answer', async () => {
    makeClient({ models: ['a'], maxRetries: 0 });
    fx.fake.script('a', { reply: 'a b c d', disconnect: { afterTokens: 2 } });
    const items: OpenRouterStreamItem[] = [];
    const error = await (async () => {
      for await (const item of fx.client.stream({ messages })) items.push(item);
    })().catch((e: unknown) => e);
    expect(summary(items)).toEqual(['a:a b']); // the two tokens sent, and no `done`
    expect(error).toMatchObject({ code: 'OPENROUTER_CONNECTION', retryable: true });
  });

  it('turns a malformed chunk into InvalidResponseError', async () => {
    makeClient({ models: ['a'], maxRetries: 0 });
    fx.fake.script('a', { reply: 'x y', malformed: { afterTokens: 1 } });
    const error = await collect(fx.client.stream({ messages })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OPENROUTER_INVALID_RESPONSE' });
  });

  it('times out a stream of only keep-alive comments (first-token watchdog) and falls back', async () => {
    makeClient({ streamFirstTokenTimeoutMs: 60, maxRetries: 0 });
    fx.fake.script('a', { stall: { afterTokens: 0, commentEveryMs: 10 } });
    const fallbacks: unknown[] = [];
    fx.client.on('fallback', ({ error }) => fallbacks.push(error));
    const items = await collect(fx.client.stream({ messages }));
    expect(items.at(-1)).toMatchObject({ type: 'done', model: 'b' });
    expect(fallbacks[0]).toBeInstanceOf(TimeoutError);
    expect(fallbacks[0]).toMatchObject({ kind: 'first_token' });
  });

  it('times out a stream that stalls between tokens (idle watchdog) even with comments', async () => {
    makeClient({ models: ['a'], streamIdleTimeoutMs: 60 });
    fx.fake.script('a', { reply: 'a b c', stall: { afterTokens: 1, commentEveryMs: 10 } });
    const error = await collect(fx.client.stream({ messages }, { recovery: 'error' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'idle', retryable: true });
  });

  it('breaking out of the loop aborts the request and frees the connection', async () => {
    makeClient();
    fx.fake.script('a', { reply: 'a b c d e f', tokenIntervalMs: 5 });
    for await (const item of fx.client.stream({ messages })) {
      expect(item.type).toBe('delta');
      break;
    }
    const after = await fx.client.chat({ messages });
    expect(after.model).toBe('a');
    expect(fx.client.getStats().models.a?.breaker).toBe('closed');
  });

  it('aborts mid-stream with the caller’s signal', async () => {
    makeClient();
    fx.fake.script('a', { reply: 'a b c d', stall: { afterTokens: 1 } });
    const controller = new AbortController();
    const items: OpenRouterStreamItem[] = [];
    const error = await (async () => {
      for await (const item of fx.client.stream({ messages }, { signal: controller.signal })) {
        items.push(item);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(items).toHaveLength(1);
    expect(error).toBeInstanceOf(AbortError);
    expect(fx.fake.requestCount).toBe(1);
  });
});
