/**
 * The official `@openrouter/sdk` against FakeOpenRouter. Its response schemas are generated from
 * OpenRouter's API description, so they check the fake's wire format field by field.
 */
import { OpenRouter } from '@openrouter/sdk';
import type { ChatResult, ChatStreamChunk } from '@openrouter/sdk/models';
import { ServiceUnavailableResponseError, TooManyRequestsResponseError } from '@openrouter/sdk/models/errors';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  type BehaviourName,
  messages,
  rejection,
  useScriptedFake,
} from './helpers/client-behaviours.ts';

const fx = useScriptedFake();
const client = () =>
  new OpenRouter({ apiKey: API_KEY, serverURL: fx.fake.baseUrl, retryConfig: { strategy: 'none' } });
const chat = async (model: BehaviourName) =>
  (await client().chat.send({ chatRequest: { model, messages, stream: false } })) as ChatResult;
async function stream(model: BehaviourName): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = [];
  const events = await client().chat.send({ chatRequest: { model, messages, stream: true } });
  for await (const chunk of events as AsyncIterable<ChatStreamChunk>) chunks.push(chunk);
  return chunks;
}
const text = (chunks: ChatStreamChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('@openrouter/sdk × FakeOpenRouter', () => {
  it('plain answer (validated against the SDK’s ChatResult schema)', async () => {
    const result = await chat('plain');
    expect(result.choices[0]?.message.content).toBe('Hello there, friend.');
    expect(result.choices[0]?.finishReason).toBe('stop');
    expect(result.systemFingerprint).toBeNull();
  });

  it('stream', async () => {
    const chunks = await stream('plain');
    expect(text(chunks)).toBe('Hello there, friend.');
    expect(chunks.at(-1)?.choices[0]?.finishReason).toBe('stop');
  });

  it('usage and cost', async () => {
    const result = await chat('usage');
    expect(result.usage).toMatchObject({
      promptTokens: 11,
      completionTokens: 2,
      totalTokens: 13,
      cost: 0.00042,
    });
    expect((await stream('usage')).at(-1)?.usage).toMatchObject({ totalTokens: 13, cost: 0.00042 });
  });

  it('reasoning tokens', async () => {
    const result = await chat('reasoning');
    expect(result.choices[0]?.message).toMatchObject({ content: 'Sunny.', reasoning: 'Let me think' });
    expect(result.usage?.completionTokensDetails?.reasoningTokens).toBe(3);
    const chunks = await stream('reasoning');
    expect(chunks.map((c) => c.choices[0]?.delta.reasoning ?? '').join('')).toBe('Let me think');
  });

  it('tool calls', async () => {
    const result = await chat('toolCalls');
    expect(result.choices[0]?.finishReason).toBe('tool_calls');
    expect(result.choices[0]?.message.toolCalls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    const calls = (await stream('toolCalls')).flatMap((c) => c.choices[0]?.delta.toolCalls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: 'call_1', function: { name: 'get_weather' } });
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{"city":"Paris"}');
  });

  it("HTTP error with OpenRouter's error body → ServiceUnavailableResponseError", async () => {
    const error = await rejection(chat('httpError'));
    expect(error).toBeInstanceOf(ServiceUnavailableResponseError);
    expect(error).toMatchObject({ statusCode: 503, error: { code: 503, message: 'No provider available' } });
  });

  it('Retry-After → TooManyRequestsResponseError carrying the header', async () => {
    const error = await rejection(chat('retryAfter'));
    expect(error).toBeInstanceOf(TooManyRequestsResponseError);
    expect((error as TooManyRequestsResponseError).headers.get('retry-after')).toBe('7');
  });

  it('in-band mid-stream error chunk → a chunk carrying `error` after the first tokens', async () => {
    const chunks = await stream('midStreamError');
    expect(text(chunks)).toBe('one');
    expect(chunks.at(-1)?.error).toEqual({ code: 502, message: 'Provider disconnected' });
    expect(chunks.at(-1)?.choices[0]?.finishReason).toBe('error');
  });

  it('keep-alive comments are skipped', async () => {
    expect(text(await stream('keepAlive'))).toBe('Still here.');
  });
});
