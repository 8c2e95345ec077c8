import {
  AbortError,
  AllModelsFailedError,
  CircuitOpenError,
  InvalidOptionsError,
  InvalidResponseError,
  OpenRouterClient,
  OpenRouterHttpError,
  TimeoutError,
} from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture({ apiKey: 'sk-test', models: ['a', 'b', 'c'] });
const { makeClient } = fx;

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream);
}

describe('OpenRouterClient.chat', () => {
  it('answers with text, model, usage and attempts, sending OpenRouter headers and body', async () => {
    makeClient({ appName: 'my-bot', appUrl: 'https://bot.example' });
    const result = await fx.client.chat({
      messages,
      temperature: 0.2,
      provider: { order: ['x'] },
      transforms: [],
    });
    expect(result).toMatchObject({ text: 'Hello from a', model: 'a', attempts: 1, finishReason: 'stop' });
    expect(result.usage).toMatchObject({ completionTokens: 3, cachedTokens: 0 });
    expect(result.usage?.cost).toBeGreaterThan(0);
    const [request] = fx.fake.requests;
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.headers['http-referer']).toBe('https://bot.example');
    expect(request?.headers['x-openrouter-title']).toBe('my-bot');
    expect(request?.headers['x-title']).toBe('my-bot');
    expect(request?.body).toEqual({
      messages,
      temperature: 0.2,
      provider: { order: ['x'] },
      transforms: [],
      model: 'a',
      stream: false,
    });
  });

  it('validates options and requests with errors naming the bad value', async () => {
    expect(() => new OpenRouterClient({ apiKey: '', models: [] })).toThrow(InvalidOptionsError);
    makeClient();
    await expect(fx.client.chat({ messages: [] })).rejects.toThrow(/messages/);
    await expect(fx.client.chat({ messages, temperature: 'hot' as unknown as number })).rejects.toThrow(
      InvalidOptionsError,
    );
  });

  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i on the same model', async (status) => {
    makeClient();
    fx.fake.script('a', [{ status }, {}]);
    const retries: number[] = [];
    fx.client.on('retry', ({ attempt }) => retries.push(attempt));
    const result = await fx.client.chat({ messages });
    expect(result).toMatchObject({ model: 'a', attempts: 2 });
    expect(retries).toEqual([1]);
  });

  it.each([400, 401, 402])('never retries HTTP %i and tries no other model', async (status) => {
    makeClient();
    fx.fake.script('a', { status, error: { code: status, message: 'nope' } });
    const error = await fx.client.chat({ messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenRouterHttpError);
    expect(error).toMatchObject({ status, retryable: false, code: 'OPENROUTER_HTTP' });
    expect(fx.fake.requestCount).toBe(1);
    await expect(fx.client.chat({ messages })).rejects.toBeInstanceOf(OpenRouterHttpError);
    expect(fx.fake.requestCount).toBe(2);
    expect(fx.client.getStats().models.a?.breaker).toBe('closed');
  });

  it('does not retry 404 or a moderation 403 but falls back to the next model', async () => {
    makeClient();
    fx.fake.script('a', { status: 404 });
    fx.fake.script('b', {
      status: 403,
      error: { code: 403, message: 'flagged', metadata: { reasons: ['harassment'], flagged_input: 'x' } },
    });
    const result = await fx.client.chat({ messages });
    expect(result.model).toBe('c');
    expect(fx.fake.requests.map((r) => r.model)).toEqual(['a', 'b', 'c']);
  });

  it('a 403 that is not a moderation refusal (a forbidden key) ends the call: no retry, no fallback', async () => {
    makeClient();
    fx.fake.script('a', { status: 403, error: { code: 403, message: 'Forbidden' } });
    for (const run of [() => fx.client.chat({ messages }), () => drain(fx.client.stream({ messages }))]) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenRouterHttpError);
      expect((error as OpenRouterHttpError).fatal).toBe(true);
    }
    expect(fx.fake.requests.map((r) => r.model)).toEqual(['a', 'a']);
    expect(fx.client.getStats().models.a?.breaker).toBe('closed');
  });

  it('honours Retry-After in seconds and retry-after-ms', async () => {
    makeClient();
    fx.fake.script('a', [{ status: 429, retryAfter: 0 }, { status: 429, retryAfterMs: 5 }, {}]);
    makeClient({ breaker: { failureThreshold: 5 } });
    const delays: number[] = [];
    fx.client.on('retry', ({ delayMs }) => delays.push(delayMs));
    await fx.client.chat({ messages });
    expect(delays).toEqual([0, 5]);
  });

  it('moves to the next model instead of waiting a Retry-After over 60 s or past the deadline', async () => {
    makeClient({ totalTimeoutMs: 5_000 });
    fx.fake.script('a', { status: 429, retryAfter: 120 });
    fx.fake.script('b', { status: 503, retryAfter: 10 });
    const fallbacks: string[] = [];
    fx.client.on('fallback', ({ from, to }) => fallbacks.push(`${from}>${to}`));
    const result = await fx.client.chat({ messages });
    expect(result.model).toBe('c');
    expect(fallbacks).toEqual(['a>b', 'b>c']);
    expect(fx.fake.requests.map((r) => r.model)).toEqual(['a', 'b', 'c']);
  });

  it('treats HTTP-200 error bodies as errors, classified by their code', async () => {
    makeClient({ maxRetries: 1 });
    fx.fake.script('a', [
      { error: { code: 'server_error', message: 'boom' } },
      { error: { code: 502, message: 'upstream' } },
    ]);
    fx.fake.script('b', { error: { code: 'moderation', message: 'flagged' } });
    const retried: unknown[] = [];
    fx.client.on('retry', ({ error }) => retried.push((error as OpenRouterHttpError).effectiveStatus));
    const result = await fx.client.chat({ messages });
    expect(result).toMatchObject({ model: 'c', attempts: 4 });
    expect(retried).toEqual([502]);
    expect(fx.fake.requests.map((r) => r.model)).toEqual(['a', 'a', 'b', 'c']);
  });

  it('turns an HTTP-200 400 error body into a fatal OpenRouterHttpError', async () => {
    makeClient();
    fx.fake.script('a', { error: { code: 400, message: 'bad request' } });
    await expect(fx.client.chat({ messages })).rejects.toMatchObject({
      status: 200,
      effectiveStatus: 400,
      fatal: true,
    });
  });

  it('turns malformed JSON into InvalidResponseError (retried, then the next model)', async () => {
    makeClient({ models: ['a'] });
    fx.fake.script('a', { malformed: true });
    const error = await fx.client.chat({ messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect((error as AllModelsFailedError).errors.a).toBeInstanceOf(InvalidResponseError);
  });

  it('walks the ladder in order; req.model goes first without duplicates; req.models replaces it', async () => {
    makeClient({ maxRetries: 1, breaker: { failureThreshold: 1 } });
    fx.fake.script('a', { status: 500 });
    expect((await fx.client.chat({ messages, model: 'c' })).model).toBe('c');
    fx.fake.script('b', { status: 500 });
    fx.fake.script('c', { status: 500 });
    const error = (await fx.client
      .chat({ messages, model: 'b' })
      .catch((e: unknown) => e)) as AllModelsFailedError;
    expect(Object.keys(error.errors)).toEqual(['b', 'a', 'c']);
    expect(fx.fake.requests.map((r) => r.model)).toEqual(['c', 'b', 'b', 'a', 'a', 'c', 'c']);
    const skipped = (await fx.client.chat({ messages }).catch((e: unknown) => e)) as AllModelsFailedError;
    expect(skipped.errors.a).toBeInstanceOf(CircuitOpenError);
    expect(fx.fake.requestCount).toBe(7);
    expect((await fx.client.chat({ messages, models: ['z', 'z'] })).model).toBe('z');
  });

  it('reports each model’s last error in AllModelsFailedError', async () => {
    makeClient({ models: ['a', 'b'] });
    fx.fake.script('a', { status: 503 });
    fx.fake.script('b', { disconnect: 'before_headers' });
    const error = (await fx.client.chat({ messages }).catch((e: unknown) => e)) as AllModelsFailedError;
    expect(error.code).toBe('OPENROUTER_ALL_MODELS_FAILED');
    expect(error.errors.a).toMatchObject({ status: 503 });
    expect(error.errors.b).toMatchObject({ code: 'OPENROUTER_CONNECTION', retryable: true });
  });

  it('times out reading headers (read timeout), retryably, and falls back', async () => {
    makeClient({ readTimeoutMs: 50, maxRetries: 0 });
    fx.fake.script('a', { stall: 'before_headers' });
    const result = await fx.client.chat({ messages });
    expect(result.model).toBe('b');
    expect(fx.client.getStats().failuresByKind.OPENROUTER_TIMEOUT).toBe(1);
  });

  it('times out a stalled body (read timeout)', async () => {
    makeClient({ readTimeoutMs: 50, models: ['a'], maxRetries: 0 });
    fx.fake.script('a', { stall: { afterTokens: 0 } });
    const error = (await fx.client.chat({ messages }).catch((e: unknown) => e)) as AllModelsFailedError;
    expect(error.errors.a).toBeInstanceOf(TimeoutError);
    expect(error.errors.a).toMatchObject({ kind: 'read', retryable: true });
  });

  it('never exceeds the total deadline', async () => {
    makeClient({ totalTimeoutMs: 80 });
    fx.fake.setDefault({ stall: 'before_headers' });
    const error = await fx.client.chat({ messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'total', retryable: false });
  });

  it('aborts everything in flight with the caller’s signal', async () => {
    makeClient();
    fx.fake.setDefault({ stall: 'before_headers' });
    const controller = new AbortController();
    const pending = fx.client.chat({ messages }, { signal: controller.signal });
    while (fx.fake.requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(fx.fake.requestCount).toBe(1);
    expect(fx.client.getStats().models.a?.breaker).toBe('closed');
    await expect(fx.client.chat({ messages }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    );
  });

  it('rejects calls after close()', async () => {
    makeClient();
    await fx.client.close();
    await expect(fx.client.chat({ messages })).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
