/**
 * One fake OpenRouter + OpenRouterClient setup for the OpenRouter test files: registers the
 * beforeEach/afterEach hooks and hands the live objects out through getters.
 */
import { OpenRouterClient, type OpenRouterClientOptions } from 'chatlane';
import { FakeOpenRouter } from 'chatlane/testing';
import { afterEach, beforeEach } from 'vitest';

/** Client options every {@link OpenRouterFixture.makeClient} call starts from. */
export type OpenRouterFixtureOptions = Partial<OpenRouterClientOptions>;

/** Key `'k'`, models `a`, `b`, no retry jitter (`random: () => 0`). */
const DEFAULTS = { apiKey: 'k', models: ['a', 'b'], random: () => 0 } satisfies OpenRouterFixtureOptions;

export interface OpenRouterFixture {
  /** The fake OpenRouter of the running test. */
  readonly fake: FakeOpenRouter;
  /** The client made last in the running test (closed after it); assign to have it closed too. */
  client: OpenRouterClient;
  /** A client on {@link fake}: fixture defaults, then `options` (methods work destructured). */
  makeClient(options?: Partial<OpenRouterClientOptions>): OpenRouterClient;
}

export function useOpenRouterFixture(defaults: OpenRouterFixtureOptions = {}): OpenRouterFixture {
  let fake: FakeOpenRouter | undefined;
  let client: OpenRouterClient | undefined;

  function live<T>(value: T | undefined): T {
    if (value === undefined) throw new Error('the OpenRouter fixture is only live inside a test');
    return value;
  }

  beforeEach(async () => {
    fake = await FakeOpenRouter.start();
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await fake?.close();
  });

  return {
    get fake() {
      return live(fake);
    },
    get client() {
      return live(client);
    },
    set client(value) {
      client = value;
    },
    makeClient(options = {}) {
      const base: OpenRouterClientOptions = { ...DEFAULTS, baseUrl: live(fake).baseUrl, ...defaults };
      client = new OpenRouterClient({ ...base, ...options });
      return client;
    },
  };
}
