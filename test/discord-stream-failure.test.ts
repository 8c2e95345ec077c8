import { DEFAULT_STREAM_ERROR_NOTICE, type StreamItem } from 'chatlane';
import { snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const fx = useDiscordFixture({ token: 'stream-failure-token' });

async function* items(list: StreamItem[], error?: unknown): AsyncIterable<StreamItem> {
  for (const item of list) yield item;
  if (error !== undefined) throw error;
}

describe('DiscordSender.stream: where a failure came from', () => {
  it('a completed stream has no failure', async () => {
    const result = await fx.makeSender().stream(snowflake(), items(['all ', 'good']));
    expect(result.failure).toBeUndefined();
    expect(result.error).toBeUndefined();
  });

  it('a source failing mid-answer: origin source, the notice shown after the partial text', async () => {
    const channel = snowflake();
    const broken = new Error('model went away');
    const result = await fx.makeSender().stream(channel, items(['half an answer'], broken));
    expect(result.failure).toEqual({ origin: 'source', error: broken, noticeShown: true });
    expect(result.error).toBe(broken);
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual([
      `half an answer\n\n${DEFAULT_STREAM_ERROR_NOTICE}`,
    ]);
  });

  it('a source failing before any text: origin source, the notice alone is the reply', async () => {
    const channel = snowflake();
    const result = await fx.makeSender().stream(channel, items([], new Error('every model 503')));
    expect(result.failure).toMatchObject({ origin: 'source', noticeShown: true });
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual([DEFAULT_STREAM_ERROR_NOTICE]);
  });

  it('Discord refusing the notice: origin delivery, noticeShown false (the caller owes an apology)', async () => {
    const channel = snowflake();
    fx.discord.scriptError({ method: 'POST', path: '/messages', status: 403, code: 50013, times: 5 });
    const result = await fx.makeSender().stream(channel, items([], new Error('every model 503')));
    expect(result.failure).toMatchObject({ origin: 'delivery', noticeShown: false });
    expect(result.failure?.error).toMatchObject({ code: 'DISCORD_MISSING_PERMISSIONS' });
    expect(fx.discord.messages(channel)).toEqual([]);
  });

  it('Discord refusing an edit after a source failure: origin delivery, even though the source failed too', async () => {
    const channel = snowflake();
    fx.discord.scriptError({ method: 'PATCH', status: 404, code: 10008, times: 5 });
    const result = await fx
      .makeSender({ editIntervalMs: 0 })
      .stream(channel, items(['Hello'], new Error('model went away')));
    expect(result.failure).toMatchObject({ origin: 'delivery', noticeShown: false });
    expect(result.failure?.error).toBe(result.error);
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['Hello']);
  });
});
