import { FakeOpenRouter } from 'chatlane/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await FakeOpenRouter.start();
});
afterEach(async () => {
  await fake.close();
});

function post(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
    body: JSON.stringify(body),
  });
}

const messages = [{ role: 'user', content: 'hello' }];

describe('FakeOpenRouter', () => {
  it('answers an OpenAI-compatible completion with usage and cost, and records the request', async () => {
    fake.script('m', {
      reply: (request) => `echo ${(request.body.messages as { content: string }[])[0]?.content}`,
    });
    const json = (await (await post({ model: 'm', messages })).json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      usage: { completion_tokens: number; cost: number };
    };
    expect(json.choices[0]?.message.content).toBe('echo hello');
    expect(json.choices[0]?.finish_reason).toBe('stop');
    expect(json.usage.completion_tokens).toBe(2);
    expect(json.usage.cost).toBeGreaterThan(0);
    expect(fake.requestsFor('m')).toHaveLength(1);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer t');
  });

  it('streams SSE with keep-alive comments, a final usage chunk and [DONE]', async () => {
    fake.script('m', { tokens: ['a', 'b'], comments: 2 });
    const text = await (await post({ model: 'm', messages, stream: true })).text();
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines.slice(0, 2)).toEqual([': OPENROUTER PROCESSING', ': OPENROUTER PROCESSING']);
    expect(lines.at(-1)).toBe('data: [DONE]');
    const last = JSON.parse(lines.at(-2)!.slice('data: '.length)) as { usage: { completion_tokens: number } };
    expect(last.usage.completion_tokens).toBe(2);
  });

  it('sends statuses with Retry-After headers and error objects, consuming a script queue in order', async () => {
    fake.script('m', [
      { status: 429, retryAfter: 3, retryAfterMs: 3_000, error: { code: 429, message: 'slow down' } },
      {},
    ]);
    const limited = await post({ model: 'm', messages });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('retry-after-ms')).toBe('3000');
    expect(await limited.json()).toEqual({ error: { code: 429, message: 'slow down' } });
    expect((await post({ model: 'm', messages })).status).toBe(200);
    expect((await post({ model: 'm', messages })).status).toBe(200);
  });

  it('answers an in-band error chunk mid-stream, and 404 for unknown routes', async () => {
    fake.script('m', { tokens: ['a', 'b', 'c'], midStreamError: { afterTokens: 1, code: 'server_error' } });
    const text = await (await post({ model: 'm', messages, stream: true })).text();
    expect(text).toContain('"finish_reason":"error"');
    expect(text).toContain('"code":"server_error"');
    const missing = await fetch(`${fake.baseUrl}/models`);
    expect(missing.status).toBe(404);
    await missing.body?.cancel();
  });

  it('reset() forgets scripts, requests and counters', async () => {
    fake.script('m', { status: 500 });
    await (await post({ model: 'm', messages })).text();
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect(fake.requestCount).toBe(0);
    expect((await post({ model: 'm', messages })).status).toBe(200);
  });
});
