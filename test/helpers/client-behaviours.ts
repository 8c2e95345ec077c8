/**
 * The scripted behaviours of FakeOpenRouter that every major OpenRouter client must accept (or,
 * for errors, surface as its own typed error): one table, used by test/clients-*.test.ts.
 */
import type { FakeBehaviour } from 'chatlane/testing';
import { FakeOpenRouter } from 'chatlane/testing';
import { afterAll, beforeAll } from 'vitest';

export const API_KEY = 'client-test-key';
export const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];

export const BEHAVIOURS = {
  plain: { reply: 'Hello there, friend.' },
  usage: {
    reply: 'Counted.',
    usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13, cost: 0.00042 },
  },
  reasoning: { reasoning: ['Let', ' me', ' think'], reply: 'Sunny.' },
  toolCalls: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_1' }] },
  httpError: { status: 503, error: { code: 503, message: 'No provider available' } },
  retryAfter: { status: 429, retryAfter: 7, error: { code: 429, message: 'Rate limited' } },
  midStreamError: {
    reply: 'one two three',
    midStreamError: { afterTokens: 1, code: 502, message: 'Provider disconnected' },
  },
  keepAlive: { reply: 'Still here.', comments: 3 },
} satisfies Record<string, FakeBehaviour>;

export type BehaviourName = keyof typeof BEHAVIOURS;

/** A fake OpenRouter for the file (key {@link API_KEY}) with each behaviour on the model of its name. */
export function useScriptedFake(): { readonly fake: FakeOpenRouter } {
  let fake: FakeOpenRouter | undefined;
  beforeAll(async () => {
    fake = await FakeOpenRouter.start({ apiKey: API_KEY });
    for (const [name, behaviour] of Object.entries(BEHAVIOURS)) fake.script(name, behaviour);
  });
  afterAll(async () => {
    await fake?.close();
  });
  return {
    get fake() {
      if (!fake) throw new Error('the fake is only live inside a test');
      return fake;
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
