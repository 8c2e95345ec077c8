/**
 * Streaming overhead benchmark: `OpenRouterClient.stream` against `@openrouter/sdk`, Vercel `ai`
 * (`streamText`), the `openai` SDK, `fetch` with a hand-written SSE loop and a minimal raw-undici
 * SSE reader doing the same work (every event parsed, the text assembled) — on the fake
 * OpenRouter streaming a ~50-token answer at 0 ms pacing, concurrency 1 and 20.
 *
 *   npx node --conditions=chatlane-source --expose-gc bench/client-stream.ts
 */

import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import { OpenRouter } from '@openrouter/sdk';
import { streamText } from 'ai';
import { OpenRouterClient } from 'chatlane';
import OpenAI from 'openai';
import { request as undiciRequest } from 'undici';
import { startFakeChild } from './fake-child.ts';
import { type Contender, compare, type Measured } from './harness.ts';
import { scaled } from './scale.ts';

const MODEL = 'bench/stream';
const ANSWER_WORDS = 50;
const REQUESTS = { 1: scaled(300, 10), 20: scaled(1_500, 40) };
const messages = [{ role: 'user' as const, content: 'Tell me a short story.' }];
const reply = Array.from({ length: ANSWER_WORDS }, (_, i) => `word${i}`).join(' ');

/** The text of an SSE body read chunk by chunk: `data:` events parsed, content deltas joined. */
async function readSse(chunks: AsyncIterable<Uint8Array | string>): Promise<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  let text = '';
  for await (const chunk of chunks) {
    buffered += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end !== -1) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\n\n');
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      const parsed = JSON.parse(event.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> };
      text += parsed.choices?.[0]?.delta?.content ?? '';
    }
  }
  return text;
}

function streamContenders(baseUrl: string): Contender[] {
  const url = `${baseUrl}/chat/completions`;
  const headers = { authorization: 'Bearer bench', 'content-type': 'application/json' };
  const body = JSON.stringify({ model: MODEL, messages, stream: true });
  const chatlane = new OpenRouterClient({ apiKey: 'bench', baseUrl, models: [MODEL] });
  const sdk = new OpenRouter({ apiKey: 'bench', serverURL: baseUrl, retryConfig: { strategy: 'none' } });
  const provider = createOpenRouter({ apiKey: 'bench', baseURL: baseUrl });
  const openai = new OpenAI({ apiKey: 'bench', baseURL: baseUrl, maxRetries: 0 });
  const drain = async (items: AsyncIterable<unknown>) => {
    for await (const _ of items);
  };
  return [
    {
      name: 'chatlane OpenRouterClient.stream',
      call: () => drain(chatlane.stream({ messages })),
      close: () => chatlane.close(),
    },
    {
      name: '@openrouter/sdk',
      call: async () =>
        drain(
          (await sdk.chat.send({
            chatRequest: { model: MODEL, messages, stream: true },
          })) as AsyncIterable<unknown>,
        ),
    },
    {
      name: 'Vercel ai + provider (streamText)',
      call: () => drain(streamText({ model: provider.chat(MODEL), messages, maxRetries: 0 }).textStream),
    },
    {
      name: 'openai SDK',
      call: async () => drain(await openai.chat.completions.create({ model: MODEL, messages, stream: true })),
    },
    {
      name: 'fetch + SSE loop',
      call: async () =>
        readSse((await fetch(url, { method: 'POST', headers, body })).body as AsyncIterable<Uint8Array>),
    },
    {
      name: 'undici.request + minimal SSE reader (raw)',
      call: async () => readSse((await undiciRequest(url, { method: 'POST', headers, body })).body),
    },
  ];
}

/** Runs the streaming benchmark. */
export async function runStreamBench(): Promise<{ markdown: string; data: unknown }> {
  const { child, baseUrl } = await startFakeChild({ defaultBehaviour: { reply } });
  try {
    const result = await compare(streamContenders(baseUrl), REQUESTS);
    const at = (client: string, c: number): Measured =>
      result.data.find((d) => d.client.startsWith(client) && d.concurrency === c)!;
    const ratio = Object.fromEntries(
      [1, 20].map((c) => [c, at('chatlane', c).cpuMicrosPerRequest / at('undici', c).cpuMicrosPerRequest]),
    );
    const goal = `chatlane stream CPU ÷ the raw SSE reader: ${ratio[1]!.toFixed(2)}× (c=1), ${ratio[20]!.toFixed(2)}× (c=20); goal ≤ 1.20×. chatlane also runs the first-token and idle watchdog, usage, typed errors and byte limits, which the raw reader does not.`;
    return {
      markdown: `${result.markdown}\n\n${goal}\n`,
      data: { stream: result.data, cpuVersusRaw: ratio },
    };
  } finally {
    child.disconnect();
  }
}

if (import.meta.main) console.log((await runStreamBench()).markdown);
