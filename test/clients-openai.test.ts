/** The `openai` SDK against FakeOpenRouter: every scripted behaviour accepted, errors typed. */
import OpenAI, { APIError, InternalServerError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  type BehaviourName,
  messages,
  rejection,
  useScriptedFake,
} from './helpers/client-behaviours.ts';

const fx = useScriptedFake();
const client = () => new OpenAI({ apiKey: API_KEY, baseURL: fx.fake.baseUrl, maxRetries: 0 });
const chat = (model: BehaviourName) => client().chat.completions.create({ model, messages });
async function stream(model: BehaviourName) {
  const deltas = [];
  const chunks = await client().chat.completions.create({ model, messages, stream: true });
  for await (const chunk of chunks) deltas.push(chunk.choices[0]?.delta ?? {});
  return deltas;
}
const text = (deltas: Array<{ content?: string | null }>) => deltas.map((d) => d.content ?? '').join('');

describe('openai SDK × FakeOpenRouter', () => {
  it('plain answer', async () => {
    const completion = await chat('plain');
    expect(completion.choices[0]?.message.content).toBe('Hello there, friend.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('stream', async () => {
    expect(text(await stream('plain'))).toBe('Hello there, friend.');
  });

  it('usage and cost', async () => {
    const completion = await chat('usage');
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 });
    expect((completion.usage as unknown as { cost: number }).cost).toBe(0.00042);
  });

  it('reasoning tokens', async () => {
    const completion = await chat('reasoning');
    expect(completion.choices[0]?.message).toMatchObject({ content: 'Sunny.', reasoning: 'Let me think' });
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(3);
    const deltas = (await stream('reasoning')) as Array<{ reasoning?: string }>;
    expect(deltas.map((d) => d.reasoning ?? '').join('')).toBe('Let me think');
  });

  it('tool calls', async () => {
    const completion = await chat('toolCalls');
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    const calls = (await stream('toolCalls')).flatMap((d) => d.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: 'call_1', function: { name: 'get_weather' } });
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{"city":"Paris"}');
  });

  it("HTTP error with OpenRouter's error body → InternalServerError", async () => {
    const error = await rejection(chat('httpError'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, error: { code: 503, message: 'No provider available' } });
  });

  it('Retry-After → RateLimitError carrying the header', async () => {
    const error = await rejection(chat('retryAfter'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers?.get('retry-after')).toBe('7');
  });

  it('in-band mid-stream error chunk → APIError after the first tokens', async () => {
    const seen: string[] = [];
    const chunks = await client().chat.completions.create({
      model: 'midStreamError',
      messages,
      stream: true,
    });
    const error = await rejection(
      (async () => {
        for await (const chunk of chunks) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(seen.join('')).toBe('one');
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ error: { code: 502, message: 'Provider disconnected' } });
  });

  it('keep-alive comments are skipped', async () => {
    expect(text(await stream('keepAlive'))).toBe('Still here.');
  });
});
