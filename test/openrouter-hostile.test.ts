import {
  InvalidOptionsError,
  InvalidResponseError,
  OpenRouterClient,
  OpenRouterHttpError,
  type OpenRouterStreamItem,
  ResponseTooLargeError,
} from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();

async function collect(iterable: AsyncIterable<OpenRouterStreamItem>): Promise<OpenRouterStreamItem[]> {
  const items: OpenRouterStreamItem[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function streamError(client: OpenRouterClient): Promise<unknown> {
  return collect(client.stream({ messages })).then(
    () => undefined,
    (error: unknown) => error,
  );
}

const jsonError = (code: number | string, message = 'nope') => JSON.stringify({ error: { code, message } });

/** The fields the ladder, the breaker and the user-facing reply classify an error by. */
function classification(error: unknown): Record<string, unknown> {
  const e = error as Record<string, unknown>;
  return {
    name: e.name,
    code: e.code,
    retryable: e.retryable,
    fatal: e.fatal,
    effectiveStatus: e.effectiveStatus,
  };
}

describe('stream() on a 2xx answer that is not an event stream', () => {
  it('a 200 whose body is a JSON 401 error ends the call like chat(): no retry, no fallback, no breaker opened', async () => {
    fx.makeClient();
    fx.fake.script('a', { raw: { body: jsonError(401, 'No auth credentials found') } });
    const opened: string[] = [];
    fx.client.on('breakerOpen', ({ model }) => opened.push(model));
    const error = await streamError(fx.client);
    expect(error).toBeInstanceOf(OpenRouterHttpError);
    expect(error).toMatchObject({ status: 200, effectiveStatus: 401, fatal: true, retryable: false });
    expect(fx.fake.requestCount).toBe(1);
    expect(opened).toEqual([]);
    expect(fx.client.getStats().models.a?.breaker).toBe('closed');

    const chatError = await fx.client.chat({ messages }).catch((e: unknown) => e);
    expect(classification(error)).toEqual(classification(chatError));
  });

  it('a JSON error body labelled text/event-stream is read as JSON too', async () => {
    fx.makeClient();
    fx.fake.script('a', { raw: { body: `\n${jsonError(402)}`, contentType: 'text/event-stream' } });
    const error = await streamError(fx.client);
    expect(error).toMatchObject({ effectiveStatus: 402, fatal: true });
    expect(fx.fake.requestCount).toBe(1);
  });

  it.each([
    ['a JSON 503 error', { body: jsonError(503) }],
    ['a JSON 404 error', { body: jsonError(404) }],
    ['an HTML page', { body: '<html><body>Bad gateway</body></html>', contentType: 'text/html' }],
    ['an empty JSON body', { body: '' }],
    ['an empty event stream', { body: '', contentType: 'text/event-stream' }],
    ['an empty body without content type', { body: '', contentType: null }],
  ])('%s is classified exactly as chat() classifies it', async (_name, raw) => {
    fx.makeClient({ models: ['a'], maxRetries: 0 });
    fx.fake.script('a', { raw });
    const streamed = await streamError(fx.client);
    const chatted = await fx.client.chat({ messages }).catch((e: unknown) => e);
    const first = (error: unknown) => (error as { errors?: Record<string, unknown> }).errors?.a ?? error;
    expect(classification(first(streamed))).toEqual(classification(first(chatted)));
    expect(first(streamed)).toBeInstanceOf(
      raw.body.startsWith('{') ? OpenRouterHttpError : InvalidResponseError,
    );
  });

  it('a whole JSON completion answered to a stream request becomes one delta', async () => {
    fx.makeClient();
    const completion = {
      choices: [{ message: { role: 'assistant', content: 'whole answer' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2 },
    };
    fx.fake.script('a', { raw: { body: JSON.stringify(completion) } });
    const items = await collect(fx.client.stream({ messages }));
    expect(items.map((item) => item.type)).toEqual(['delta', 'done']);
    expect(items[0]).toMatchObject({ delta: 'whole answer', model: 'a' });
    expect(items[1]).toMatchObject({ finishReason: 'stop', usage: { totalTokens: 5 } });
  });
});

describe('response size limits', () => {
  it('an SSE event past maxEventBytes fails the attempt: not retried, not a breaker failure, falls back', async () => {
    fx.makeClient({ maxEventBytes: 64 * 1024 });
    fx.fake.script('a', { oversizedEvent: { bytes: 4 * 1024 * 1024 } });
    const fallbacks: unknown[] = [];
    fx.client.on('fallback', ({ error }) => fallbacks.push(error));
    const items = await collect(fx.client.stream({ messages }));
    expect(items.at(-1)).toMatchObject({ type: 'done', model: 'b' });
    expect(fallbacks[0]).toBeInstanceOf(ResponseTooLargeError);
    expect(fallbacks[0]).toMatchObject({ what: 'event', limitBytes: 64 * 1024, model: 'a' });
    expect(fx.fake.requestsFor('a')).toHaveLength(1);
    expect(fx.client.getStats().models.a?.consecutiveFailures).toBe(0);
  });

  it('after the first token, an oversized event ends the stream with ResponseTooLargeError', async () => {
    fx.makeClient({ maxEventBytes: 64 * 1024 });
    fx.fake.script('a', { reply: 'one two', oversizedEvent: { bytes: 1024 * 1024, afterTokens: 1 } });
    const items: OpenRouterStreamItem[] = [];
    const error = await (async () => {
      for await (const item of fx.client.stream({ messages })) items.push(item);
    })().catch((e: unknown) => e);
    expect(items).toEqual([{ type: 'delta', delta: 'one', model: 'a' }]);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it.each([
    ['announced by content-length', false],
    ['sent chunked', true],
  ])('a chat() body past maxBodyBytes (%s) fails the attempt and falls back', async (_name, chunked) => {
    fx.makeClient({ maxBodyBytes: 256 * 1024 });
    fx.fake.script('a', { raw: { body: `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`, chunked } });
    const answer = await fx.client.chat({ messages });
    expect(answer.model).toBe('b');
    expect(fx.fake.requestsFor('a')).toHaveLength(1);
    expect(fx.client.getStats().failuresByKind.OPENROUTER_RESPONSE_TOO_LARGE).toBe(1);
  });

  it('a huge error body still classifies by its status (only its head is read)', async () => {
    fx.makeClient();
    fx.fake.script('a', {
      raw: { status: 401, body: `<html>${'x'.repeat(2 * 1024 * 1024)}</html>`, contentType: 'text/html' },
    });
    const chatError = await fx.client.chat({ messages }).catch((e: unknown) => e);
    expect(chatError).toMatchObject({ status: 401, fatal: true });
    const streamed = await streamError(fx.client);
    expect(streamed).toMatchObject({ status: 401, fatal: true });
    expect((streamed as OpenRouterHttpError).body.length).toBeLessThanOrEqual(4096);
  });

  it('validates the limits', () => {
    const base = { apiKey: 'k', models: ['a'] };
    expect(() => new OpenRouterClient({ ...base, maxEventBytes: 0 })).toThrow(InvalidOptionsError);
    expect(() => new OpenRouterClient({ ...base, maxBodyBytes: 1.5 })).toThrow(/maxBodyBytes/);
  });
});
