import { OpenRouterClient, TimeoutError } from 'chatlane';
import { FakeOpenRouter } from 'chatlane/testing';
import { type Dispatcher, errors, Pool } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** A pool whose first `failures` dispatches fail with undici's connect timeout. */
function flakyConnectPool(origin: string, failures: number): Pool {
  const pool = new Pool(origin);
  let left = failures;
  const dispatch = pool.dispatch.bind(pool);
  pool.dispatch = (options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => {
    if (left > 0) {
      left -= 1;
      queueMicrotask(() =>
        handler.onResponseError?.({} as Dispatcher.DispatchController, new errors.ConnectTimeoutError()),
      );
      return true;
    }
    return dispatch(options, handler);
  };
  return pool;
}

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await FakeOpenRouter.start();
});
afterEach(async () => {
  await fake.close();
});

describe('transport errors', () => {
  it('maps a connect timeout to a retryable TimeoutError("connect") and retries it', async () => {
    const pool = flakyConnectPool(new URL(fake.baseUrl).origin, 1);
    const client = new OpenRouterClient({
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      models: ['a'],
      dispatcher: pool,
      random: () => 0,
    });
    const retried: Error[] = [];
    client.on('retry', ({ error }) => retried.push(error));
    const result = await client.chat({ messages: [{ role: 'user', content: 'hi' }] });
    expect(result).toMatchObject({ model: 'a', attempts: 2 });
    expect(retried[0]).toBeInstanceOf(TimeoutError);
    expect(retried[0]).toMatchObject({ kind: 'connect', retryable: true });
    await client.close();
    await pool.close();
  });

  it('cancels a request still queued for a connection when the caller aborts', async () => {
    const client = new OpenRouterClient({
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      models: ['a'],
      maxConnections: 1,
    });
    fake.script('a', [{ stall: 'before_headers' }, {}]);
    const first = new AbortController();
    const blocking = client.chat({ messages: [{ role: 'user', content: 'one' }] }, { signal: first.signal });
    while (fake.requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = new AbortController();
    const queued = client.chat({ messages: [{ role: 'user', content: 'two' }] }, { signal: second.signal });
    second.abort();
    await expect(queued).rejects.toMatchObject({ code: 'ABORTED' });
    first.abort();
    await expect(blocking).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await client.chat({ messages: [{ role: 'user', content: 'three' }] })).text).toBe('Hello from a');
    expect(fake.requests.map((r) => (r.body.messages as { content: string }[])[0]?.content)).toEqual([
      'one',
      'three',
    ]);
    await client.close();
  });
});
