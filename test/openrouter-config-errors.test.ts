import {
  AllModelsFailedError,
  FAILURE_REPLIES,
  failureKind,
  type OpenRouterEvents,
  OpenRouterHttpError,
  userFacingFailure,
} from 'chatlane';
import { describe, expect, it } from 'vitest';
import { useOpenRouterFixture } from './helpers/openrouter-fixture.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fx = useOpenRouterFixture();

type ConfigurationEvent = OpenRouterEvents['configurationError'];

function recordConfigurationErrors(): ConfigurationEvent[] {
  const events: ConfigurationEvent[] = [];
  fx.client.on('configurationError', (event) => events.push(event));
  return events;
}

async function failedChat(): Promise<unknown> {
  return fx.client.chat({ messages }).catch((error: unknown) => error);
}

async function failedStream(): Promise<unknown> {
  try {
    for await (const _item of fx.client.stream({ messages })) {
      // drain
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

const PROMISES_RECOVERY = /try again|in a minute/i;

describe('401/402/403/404 from OpenRouter: conditions that will not heal by themselves', () => {
  it.each([
    [401, 'auth', 'misconfigured'],
    [402, 'credits', 'credits'],
    [403, 'auth', 'misconfigured'],
    [404, 'model', 'unknown_model'],
  ] as const)(
    'HTTP %i: a configurationError event (%s), its counter, and a reply that promises no recovery',
    async (status, reason, kind) => {
      fx.makeClient({ models: ['a'] });
      fx.fake.script('a', {
        status,
        error: { code: status, message: 'sk-or-v1-secretsecretsecret0000 rejected' },
      });
      const events = recordConfigurationErrors();
      for (const run of [failedChat, failedStream]) {
        const error = await run();
        expect(failureKind(error)).toBe(kind);
        const reply = userFacingFailure(error);
        expect(reply).toBe(FAILURE_REPLIES[kind]);
        expect(reply).not.toMatch(PROMISES_RECOVERY);
        expect(reply).not.toContain(String(status));
        expect(reply).not.toContain('secret');
      }
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({ model: 'a', status, reason });
      expect(events[0]?.error).toBeInstanceOf(OpenRouterHttpError);
      expect(fx.client.getStats().configurationErrors).toEqual({
        auth: 0,
        credits: 0,
        model: 0,
        [reason]: 2,
      });
    },
  );

  it('the same codes in band (HTTP 200 with an error object) count the same', async () => {
    fx.makeClient({ models: ['a'] });
    fx.fake.script('a', { error: { code: 402, message: 'Insufficient credits' } });
    const events = recordConfigurationErrors();
    const error = await failedChat();
    expect(userFacingFailure(error)).toBe(FAILURE_REPLIES.credits);
    expect(events.map((event) => event.reason)).toEqual(['credits']);
  });

  it('an unknown first model is reported although the next model answers', async () => {
    fx.makeClient();
    fx.fake.script('a', { status: 404, error: { code: 404, message: 'No endpoints found' } });
    const events = recordConfigurationErrors();
    const answer = await fx.client.chat({ messages });
    expect(answer.model).toBe('b');
    expect(events).toMatchObject([{ model: 'a', status: 404, reason: 'model' }]);
  });

  it('when every model is unknown, the user is told so; when one may heal, to try again later', async () => {
    fx.makeClient();
    fx.fake.script('a', { status: 404 }).script('b', { status: 404 });
    const allUnknown = await failedChat();
    expect(allUnknown).toBeInstanceOf(AllModelsFailedError);
    expect(userFacingFailure(allUnknown)).toBe(FAILURE_REPLIES.unknown_model);
    fx.fake.script('b', { status: 503 });
    expect(userFacingFailure(await failedChat())).toBe(FAILURE_REPLIES.unavailable);
  });

  it('a 403 flagging the input (moderation) is a rejected message, not a configuration error', async () => {
    fx.makeClient({ models: ['a'] });
    fx.fake.script('a', {
      status: 403,
      error: { code: 403, message: 'flagged', metadata: { reasons: ['harassment'], flagged_input: 'hi' } },
    });
    const events = recordConfigurationErrors();
    const error = await failedChat();
    expect(failureKind(error)).toBe('rejected');
    expect(events).toEqual([]);
    expect(fx.client.getStats().configurationErrors).toEqual({ auth: 0, credits: 0, model: 0 });
  });

  it('retryable failures raise no configurationError', async () => {
    fx.makeClient({ models: ['a'], maxRetries: 1 });
    fx.fake.script('a', { status: 503 });
    const events = recordConfigurationErrors();
    await failedChat();
    expect(events).toEqual([]);
  });
});
