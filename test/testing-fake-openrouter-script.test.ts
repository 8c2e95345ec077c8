import { FakeOpenRouter } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';

let fake: FakeOpenRouter | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const messages = [{ role: 'user', content: 'hello' }];

function post(model: string, authorization = 'Bearer t'): Promise<Response> {
  return fetch(`${fake!.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ model, messages }),
  });
}

describe('FakeOpenRouter.script: scripted behaviour over the default pacing', () => {
  it('a scripted 503 keeps the default latency (the outage is as slow as the model)', async () => {
    fake = await FakeOpenRouter.start({ defaultBehaviour: { latencyMs: 60_000 } });
    fake.script('slow-down', { status: 503 });
    fake.script('fast', { status: 503, latencyMs: 0 });
    let answered = false;
    const slow = post('slow-down').then(
      () => {
        answered = true;
      },
      () => undefined, // ended by close()
    );
    expect((await post('fast')).status).toBe(503);
    expect((await post('fast')).status).toBe(503);
    expect(answered).toBe(false);
    await fake.close();
    await slow;
  });

  it('takes only the pacing from the default: a default 503 does not leak into a scripted model', async () => {
    fake = await FakeOpenRouter.start({ defaultBehaviour: { status: 503, reply: 'default' } });
    fake.script('healthy', { reply: 'scripted' });
    const res = await post('healthy');
    expect(res.status).toBe(200);
    const json = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(json.choices[0]?.message.content).toBe('scripted');
    expect((await post('unscripted')).status).toBe(503);
  });

  it('a failure ratio stays reproducible when the default pacing is merged in', async () => {
    const statuses = async () => {
      const out: number[] = [];
      for (let i = 0; i < 20; i += 1) out.push((await post('m')).status);
      return out;
    };
    fake = await FakeOpenRouter.start({ defaultBehaviour: { ttftMs: 1 } });
    fake.script('m', { failureRatio: 0.3, seed: 42 });
    const first = await statuses();
    expect(first).toContain(503);
    expect(first).toContain(200);
    fake.script('m', { failureRatio: 0.3, seed: 42 });
    expect(await statuses()).toEqual(first);
  });
});

describe('FakeOpenRouter apiKey option', () => {
  it('answers 401 with an OpenRouter error body to a missing or wrong key, and serves the right one', async () => {
    fake = await FakeOpenRouter.start({ apiKey: 'sk-or-v1-right' });
    const wrong = await post('m', 'Bearer sk-or-v1-wrong');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 401, message: 'User not found.' } });
    const missing = await post('m', '');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: 401, message: 'No auth credentials found' } });
    expect((await post('m', 'Bearer sk-or-v1-right')).status).toBe(200);
    expect(fake.requestCount).toBe(3);
  });

  it('accepts any key without the option', async () => {
    fake = await FakeOpenRouter.start();
    expect((await post('m', 'Bearer anything')).status).toBe(200);
  });
});
