/** Vercel `ai` with `@openrouter/ai-sdk-provider` against FakeOpenRouter. */
import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import { APICallError, generateText, jsonSchema, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { API_KEY, type BehaviourName, rejection, useScriptedFake } from './helpers/client-behaviours.ts';

const fx = useScriptedFake();
const prompt = 'What is the weather in Paris?';
const tools = {
  get_weather: tool({
    description: 'The weather in a city',
    inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }),
  }),
};
const model = (name: BehaviourName) =>
  createOpenRouter({ apiKey: API_KEY, baseURL: fx.fake.baseUrl }).chat(name);
const generate = (name: BehaviourName) => generateText({ model: model(name), prompt, tools, maxRetries: 0 });

/** Every part of a streamed answer (errors become parts; `onError` keeps them off the console). */
async function streamParts(name: BehaviourName) {
  const result = streamText({ model: model(name), prompt, tools, maxRetries: 0, onError: () => {} });
  const parts = [];
  for await (const part of result.fullStream) parts.push(part);
  return parts;
}
type Part = Awaited<ReturnType<typeof streamParts>>[number];
const text = (parts: Part[]) => parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');

describe('Vercel ai + @openrouter/ai-sdk-provider × FakeOpenRouter', () => {
  it('plain answer', async () => {
    const result = await generate('plain');
    expect(result.text).toBe('Hello there, friend.');
    expect(result.finishReason).toBe('stop');
  });

  it('stream', async () => {
    const parts = await streamParts('plain');
    expect(text(parts)).toBe('Hello there, friend.');
    expect(parts.some((part) => part.type === 'error')).toBe(false);
  });

  it('usage and cost', async () => {
    const result = await generate('usage');
    expect(result.usage).toMatchObject({ inputTokens: 11, outputTokens: 2, totalTokens: 13 });
    expect(result.providerMetadata?.openrouter).toMatchObject({ usage: { cost: 0.00042 } });
  });

  it('reasoning tokens', async () => {
    const result = await generate('reasoning');
    expect(result.text).toBe('Sunny.');
    expect(result.reasoningText).toBe('Let me think');
    expect(result.usage.outputTokenDetails?.reasoningTokens).toBe(3);
    const parts = await streamParts('reasoning');
    const reasoning = parts.map((part) => (part.type === 'reasoning-delta' ? part.text : '')).join('');
    expect(reasoning).toBe('Let me think');
  });

  it('tool calls', async () => {
    const result = await generate('toolCalls');
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toMatchObject([
      { toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
    ]);
    const call = (await streamParts('toolCalls')).find((part) => part.type === 'tool-call');
    expect(call).toMatchObject({ toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } });
  });

  it("HTTP error with OpenRouter's error body → APICallError", async () => {
    const error = await rejection(generate('httpError'));
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 503, message: 'No provider available', isRetryable: true });
  });

  it('Retry-After → APICallError carrying the header', async () => {
    const error = await rejection(generate('retryAfter'));
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 429, responseHeaders: { 'retry-after': '7' } });
  });

  it('in-band mid-stream error chunk → an error part after the first tokens', async () => {
    const parts = await streamParts('midStreamError');
    expect(text(parts)).toBe('one');
    const failure = parts.find((part) => part.type === 'error');
    expect(failure).toMatchObject({ error: { message: 'Provider disconnected' } });
  });

  it('keep-alive comments are skipped', async () => {
    expect(text(await streamParts('keepAlive'))).toBe('Still here.');
  });
});
