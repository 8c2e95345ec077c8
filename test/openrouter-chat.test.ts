import {
  AbortError,
  AllModelsFailedError,
  CircuitOpenError,
  InvalidOptionsError,
  InvalidResponseError,
  OpenRouterClient,
  type OpenRouterClientOptions,
  OpenRouterHttpError,
  TimeoutError,
} from 'chatlane';
import { FakeOpenRouter } from 'chatlane/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const messages = [{ role: 'user' as const, content: 'hi' }];
let fake: FakeOpenRouter;
let client: OpenRouterClient;

function makeClient(options: Partial<OpenRouterClientOptions> = {}): OpenRouterClient {
  client = new OpenRouterClient({
    apiKey: 'sk-test',
    baseUrl: fake.baseUrl,
    models: ['a', 'b', 'c'],
    random: () => 0,
    ...options,
  });
  return client;
}

beforeEach(async () => {
  fake = await FakeOpenRouter.start();
});
afterEach(async () => {
  await client?.close();
  await fake.close();
});

describe('OpenRouterClient.chat', () => {
  it('answers with text, model, usage and attempts, sending OpenRouter headers and body', async () => {
    makeClient({ appName: 'my-bot', appUrl: 'https://bot.example' });
    const result = await client.chat({
      messages,
      temperature: 0.2,
      provider: { order: ['x'] },
      transforms: [],
    });
    expect(result).toMatchObject({ text: 'Hello from a', model: 'a', attempts: 1, finishReason: 'stop' });
    expect(result.usage).toMatchObject({ completionTokens: 3, cachedTokens: 0 });
    expect(result.usage?.cost).toBeGreaterThan(0);
    const [request] = fake.requests;
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
    await expect(client.chat({ messages: [] })).rejects.toThrow(/messages/);
    await expect(client.chat({ messages, temperature: 'hot' as unknown as number })).rejects.toThrow(
      InvalidOptionsError,
    );
  });

  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i on the same model', async (status) => {
    makeClient();
    fake.script('a', [{ status }, {}]);
    const retries: number[] = [];
    client.on('retry', ({ attempt }) => retries.push(attempt));
    const result = await client.chat({ messages });
    expect(result).toMatchObject({ model: 'a', attempts: 2 });
    expect(retries).toEqual([1]);
  });

  it.each([400, 401, 402])('never retries HTTP %i and tries no other model', async (status) => {
    makeClient();
    fake.script('a', { status, error: { code: status, message: 'nope' } });
    const error = await client.chat({ messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenRouterHttpError);
    expect(error).toMatchObject({ status, retryable: false, code: 'OPENROUTER_HTTP' });
    expect(fake.requestCount).toBe(1);
    await expect(client.chat({ messages })).rejects.toBeInstanceOf(OpenRouterHttpError);
    expect(fake.requestCount).toBe(2);
    expect(client.getStats().models.a?.breaker).toBe('closed');
  });

  it('does not retry 403/404 but falls back to the next model', async () => {
    makeClient();
    fake.script('a', { status: 404 });
    fake.script('b', { status: 403 });
    const result = await client.chat({ messages });
    expect(result.model).toBe('c');
    expect(fake.requests.map((r) => r.model)).toEqual(['a', 'b', 'c']);
  });

  it('honours Retry-After in seconds and retry-after-ms', async () => {
    makeClient();
    fake.script('a', [{ status: 429, retryAfter: 0 }, { status: 429, retryAfterMs: 5 }, {}]);
    makeClient({ breaker: { failureThreshold: 5 } });
    const delays: number[] = [];
    client.on('retry', ({ delayMs }) => delays.push(delayMs));
    await client.chat({ messages });
    expect(delays).toEqual([0, 5]);
  });

  it('moves to the next model instead of waiting a Retry-After over 60 s or past the deadline', async () => {
    makeClient({ totalTimeoutMs: 5_000 });
    fake.script('a', { status: 429, retryAfter: 120 });
    fake.script('b', { status: 503, retryAfter: 10 });
    const fallbacks: string[] = [];
    client.on('fallback', ({ from, to }) => fallbacks.push(`${from}>${to}`));
    const result = await client.chat({ messages });
    expect(result.model).toBe('c');
    expect(fallbacks).toEqual(['a>b', 'b>c']);
    expect(fake.requests.map((r) => r.model)).toEqual(['a', 'b', 'c']);
  });

  it('treats HTTP-200 error bodies as errors, classified by their code', async () => {
    makeClient();
    fake.script('a', [
      { error: { code: 'server_error', message: 'boom' } },
      { error: { code: 502, message: 'upstream' } },
    ]);
    fake.script('b', { error: { code: 'moderation', message: 'flagged' } });
    const retried: unknown[] = [];
    client.on('retry', ({ error }) => retried.push((error as OpenRouterHttpError).effectiveStatus));
    const result = await client.chat({ messages });
    expect(result).toMatchObject({ model: 'c', attempts: 4 });
    expect(retried).toEqual([502]);
    expect(fake.requests.map((r) => r.model)).toEqual(['a', 'a', 'b', 'c']);
  });

  it('turns an HTTP-200 400 error body into a fatal OpenRouterHttpError', async () => {
    makeClient();
    fake.script('a', { error: { code: 400, message: 'bad request' } });
    await expect(client.chat({ messages })).rejects.toMatchObject({
      status: 200,
      effectiveStatus: 400,
      fatal: true,
    });
  });

  it('turns malformed JSON into InvalidResponseError (retried, then the next model)', async () => {
    makeClient({ models: ['a'] });
    fake.script('a', { malformed: true });
    const error = await client.chat({ messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect((error as AllModelsFailedError).errors.a).toBeInstanceOf(InvalidResponseError);
  });

  it('walks the ladder in order; req.model goes first without duplicates; req.models replaces it', async () => {
    makeClient();
    fake.script('a', { status: 500 });
    expect((await client.chat({ messages, model: 'c' })).model).toBe('c');
    fake.script('b', { status: 500 });
    fake.script('c', { status: 500 });
    const error = (await client
      .chat({ messages, model: 'b' })
      .catch((e: unknown) => e)) as AllModelsFailedError;
    expect(Object.keys(error.errors)).toEqual(['b', 'a', 'c']);
    expect(fake.requests.map((r) => r.model)).toEqual(['c', 'b', 'b', 'a', 'a', 'c', 'c']);
    const skipped = (await client.chat({ messages }).catch((e: unknown) => e)) as AllModelsFailedError;
    expect(skipped.errors.a).toBeInstanceOf(CircuitOpenError);
    expect(fake.requestCount).toBe(7);
    expect((await client.chat({ messages, models: ['z', 'z'] })).model).toBe('z');
  });

  it('reports each model’s last error in AllModelsFailedError', async () => {
    makeClient({ models: ['a', 'b'] });
    fake.script('a', { status: 503 });
    fake.script('b', { disconnect: 'before_headers' });
    const error = (await client.chat({ messages }).catch((e: unknown) => e)) as AllModelsFailedError;
    expect(error.code).toBe('OPENROUTER_ALL_MODELS_FAILED');
    expect(error.errors.a).toMatchObject({ status: 503 });
    expect(error.errors.b).toMatchObject({ code: 'OPENROUTER_CONNECTION', retryable: true });
  });

  it('times out reading headers (read timeout), retryably, and falls back', async () => {
    makeClient({ readTimeoutMs: 50, maxRetries: 0 });
    fake.script('a', { stall: 'before_headers' });
    const result = await client.chat({ messages });
    expect(result.model).toBe('b');
    expect(client.getStats().failuresByKind.OPENROUTER_TIMEOUT).toBe(1);
  });

  it('times out a stalled body (read timeout)', async () => {
    makeClient({ readTimeoutMs: 50, models: ['a'], maxRetries: 0 });
    fake.script('a', { stall: { afterTokens: 0 } });
    const error = (await client.chat({ messages }).catch((e: unknown) => e)) as AllModelsFailedError;
    expect(error.errors.a).toBeInstanceOf(TimeoutError);
    expect(error.errors.a).toMatchObject({ kind: 'read', retryable: true });
  });

  it('never exceeds the total deadline', async () => {
    makeClient({ totalTimeoutMs: 80 });
    fake.setDefault({ stall: 'before_headers' });
    const error = await client.chat({ messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'total', retryable: false });
  });

  it('aborts everything in flight with the caller’s signal', async () => {
    makeClient();
    fake.setDefault({ stall: 'before_headers' });
    const controller = new AbortController();
    const pending = client.chat({ messages }, { signal: controller.signal });
    while (fake.requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(fake.requestCount).toBe(1);
    expect(client.getStats().models.a?.breaker).toBe('closed');
    await expect(client.chat({ messages }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    );
  });

  it('rejects calls after close()', async () => {
    makeClient();
    await client.close();
    await expect(client.chat({ messages })).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
