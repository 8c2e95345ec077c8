/**
 * A streamed reply survives transient Discord failures (5xx, network): a failed intermediate edit
 * is superseded by the next one, the final text is retried (edits are idempotent), and a create
 * that Discord applied before answering 500 is deduplicated by its nonce — the user sees the whole
 * answer once, never a frozen half reply.
 */
import type { StreamItem } from 'chatlane';
import { type FakeDiscordRequest, snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const fx = useDiscordFixture({ token: 'transient-token' });
const patches = (r: FakeDiscordRequest) => r.method === 'PATCH';

async function* paced(list: string[], ms: number): AsyncIterable<StreamItem> {
  for (const item of list) {
    yield item;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

describe('DiscordSender.stream under transient Discord failures', () => {
  it('a final edit answered 502 (past discord.js retries) is retried: the message ends whole', async () => {
    const channel = snowflake();
    // discord.js (retries: 1 in the fixture) makes 2 requests per edit: 4 failures outlast it twice.
    fx.discord.scriptError({ method: 'PATCH', status: 502, times: 4 });
    const result = await fx.makeSender({ editIntervalMs: 0 }).stream(channel, paced(['Hello', ' world'], 5));
    expect(result.error).toBeUndefined();
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['Hello world']);
    expect(fx.discord.requests.filter(patches).length).toBeGreaterThan(4);
  });

  it('an intermediate edit answered 5xx does not end the stream: later text is still delivered', async () => {
    const channel = snowflake();
    fx.discord.scriptError({ method: 'PATCH', status: 500, times: 2 });
    const source = paced(['one', ' two', ' three', ' four'], 15);
    const result = await fx.makeSender({ editIntervalMs: 0 }).stream(channel, source);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('one two three four');
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['one two three four']);
  });

  it('a create that Discord applied but answered 500 is not shown twice when it is retried', async () => {
    const channel = snowflake();
    fx.discord.scriptError({ method: 'POST', path: '/messages', status: 500, afterApply: true, times: 2 });
    const replyTo = snowflake();
    const result = await fx.makeSender({ editIntervalMs: 0 }).stream(channel, paced(['ok', ' tag'], 5), {
      replyTo,
    });
    expect(result.error).toBeUndefined();
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['ok tag']);
  });

  it('a failure that will not heal (403) still ends the stream with a delivery error, without retries', async () => {
    const channel = snowflake();
    fx.discord.scriptError({ method: 'PATCH', status: 403, code: 50013, times: 10 });
    const result = await fx.makeSender({ editIntervalMs: 0 }).stream(channel, paced(['Hello', ' world'], 5));
    expect(result.error).toMatchObject({ code: 'DISCORD_MISSING_PERMISSIONS' });
    expect(fx.discord.requests.filter(patches)).toHaveLength(1);
  });
});
