import { DEFAULT_STREAM_ERROR_NOTICE, type StreamItem } from 'chatlane';
import { type FakeDiscordRequest, ManualClock, snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const TOKEN = 'stream-token';

const fx = useDiscordFixture({ token: TOKEN });
const { makeSender } = fx;

/** An async iterable the test feeds item by item. */
class Feed implements AsyncIterable<StreamItem> {
  readonly #items: StreamItem[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;

  push(...items: StreamItem[]): void {
    this.#items.push(...items);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  fail(error: unknown): void {
    this.#error = error;
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StreamItem> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}

async function* items(list: StreamItem[], error?: unknown): AsyncIterable<StreamItem> {
  for (const item of list) yield item;
  if (error !== undefined) throw error;
}

const patches = (r: FakeDiscordRequest) => r.method === 'PATCH';
const posts = (r: FakeDiscordRequest) => r.method === 'POST' && r.path.endsWith('/messages');

describe('DiscordSender.stream', () => {
  it('accepts OpenRouterClient items and plain strings, ignoring unknown types', async () => {
    const channel = snowflake();
    const result = await makeSender({ editIntervalMs: 0 }).stream(
      channel,
      items([
        { type: 'delta', delta: 'Hello', model: 'm' } as StreamItem,
        { type: 'usage', tokens: 3 } as StreamItem,
        ', ',
        { type: 'delta', delta: 'world' },
        { type: 'done', model: 'm' } as StreamItem,
      ]),
    );
    expect(result.text).toBe('Hello, world');
    expect(result.error).toBeUndefined();
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['Hello, world']);
    expect(result.messageIds).toEqual([fx.discord.messages(channel)[0]?.id]);
  });

  it('posts the first text at once, then edits at the cadence, coalescing deltas', async () => {
    const clock = new ManualClock();
    const channel = snowflake();
    const feed = new Feed();
    const done = makeSender({ clock, editIntervalMs: 1_200 }).stream(channel, feed);
    feed.push('Hel');
    await fx.discord.waitForRequest(posts);
    feed.push('lo', ' wor', 'ld');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fx.discord.requests.filter(patches)).toHaveLength(0);
    clock.advance(1_199);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fx.discord.requests.filter(patches)).toHaveLength(0);
    clock.advance(1);
    const edit = await fx.discord.waitForRequest(patches);
    expect((edit.body as { content: string }).content).toBe('Hello world');
    feed.push('!');
    feed.end();
    const result = await done;
    expect(fx.discord.requests.filter(patches)).toHaveLength(2);
    expect(fx.discord.messages(channel)[0]?.content).toBe('Hello world!');
    expect(result.edits).toBe(2);
  });

  it('never sends identical text twice', async () => {
    const channel = snowflake();
    const result = await makeSender({ editIntervalMs: 0 }).stream(
      channel,
      items(['same', '', { type: 'noop' }]),
    );
    expect(result.edits).toBe(0);
    expect(fx.discord.requests.filter(patches)).toHaveLength(0);
  });

  it('rolls over to new messages past 2,000 characters, fence-aware', async () => {
    const channel = snowflake();
    const lines = Array.from({ length: 150 }, (_, i) => `line ${i}: ${'x'.repeat(30)}\n`);
    const list: StreamItem[] = [
      'Intro\n```py\n',
      ...lines.map((line) => ({ type: 'delta', delta: line })),
      '```\nEnd',
    ];
    const result = await makeSender({ editIntervalMs: 0 }).stream(channel, items(list));
    const contents = fx.discord.messages(channel).map((m) => m.content);
    expect(contents.length).toBeGreaterThan(2);
    expect(result.messageIds).toHaveLength(contents.length);
    for (const content of contents) {
      expect(content.length).toBeLessThanOrEqual(2000);
      expect((content.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(contents[1]?.startsWith('```py\n')).toBe(true);
    expect(contents.at(-1)?.endsWith('End')).toBe(true);
  });

  it('replaces the partial text on reset (model fallback), deleting surplus messages', async () => {
    const channel = snowflake();
    const long = 'a'.repeat(1_500);
    const result = await makeSender({ editIntervalMs: 0 }).stream(
      channel,
      items([
        long,
        ` ${long}`,
        { type: 'reset', model: 'b', reason: 'fallback' } as StreamItem,
        'Fresh answer',
      ]),
    );
    expect(result.resets).toBe(1);
    expect(result.text).toBe('Fresh answer');
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['Fresh answer']);
  });

  it('ends with a clear notice when the source fails, and resolves with error set', async () => {
    const channel = snowflake();
    const failure = new Error('upstream died');
    const result = await makeSender({ editIntervalMs: 0 }).stream(
      channel,
      items(['Partial answer'], failure),
    );
    expect(result.error).toBe(failure);
    expect(result.text).toBe('Partial answer');
    expect(fx.discord.messages(channel)[0]?.content).toBe(`Partial answer\n\n${DEFAULT_STREAM_ERROR_NOTICE}`);
    expect(fx.sender?.getStats()).toMatchObject({ streams: 1, failures: 1 });
  });

  it('closes a code block left open by the failure, so the notice is not shown as code', async () => {
    const channel = snowflake();
    const result = await makeSender({ editIntervalMs: 0 }).stream(
      channel,
      items(['Here:\n```ts\nconst x = 1;\n'], new Error('cut off')),
    );
    expect(result.text).toBe('Here:\n```ts\nconst x = 1;\n');
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual([
      `Here:\n\`\`\`ts\nconst x = 1;\n\`\`\`\n\n${DEFAULT_STREAM_ERROR_NOTICE}`,
    ]);
  });

  it('posts the notice alone when the source fails before any text', async () => {
    const channel = snowflake();
    const result = await makeSender().stream(channel, items([], new Error('no tokens')));
    expect(result.error).toBeInstanceOf(Error);
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual([DEFAULT_STREAM_ERROR_NOTICE]);
  });

  it('builds the notice from the error when streamErrorNotice is a function', async () => {
    const channel = snowflake();
    const seen: unknown[] = [];
    const failure = new Error('all models failed');
    const notice = (error: unknown) => {
      seen.push(error);
      return 'Sorry, no model could answer.';
    };
    await makeSender({ streamErrorNotice: notice }).stream(channel, items(['Half'], failure));
    expect(seen).toEqual([failure]);
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual([
      'Half\n\nSorry, no model could answer.',
    ]);
  });

  it('falls back to the default notice when streamErrorNotice itself throws', async () => {
    const channel = snowflake();
    const failure = new Error('upstream died');
    const notice = () => {
      throw new Error('bug in the notice callback');
    };
    const result = await makeSender({ streamErrorNotice: notice }).stream(channel, items(['Half'], failure));
    expect(result.error).toBe(failure);
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual([
      `Half\n\n${DEFAULT_STREAM_ERROR_NOTICE}`,
    ]);
  });

  it('accepts a plain (sync) iterable from JavaScript callers, as for await does', async () => {
    const channel = snowflake();
    const source = ['Hello', ', world'] as unknown as AsyncIterable<StreamItem>;
    const result = await makeSender({ editIntervalMs: 0 }).stream(channel, source);
    expect(result).toMatchObject({ text: 'Hello, world' });
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['Hello, world']);
  });

  it('sends allowed_mentions on every edit, so an edit cannot ping @everyone', async () => {
    const channel = snowflake();
    await makeSender({ editIntervalMs: 0 }).stream(channel, items(['Hi', ' @everyone', ' and more']));
    const edits = fx.discord.requests.filter(patches);
    expect(edits.length).toBeGreaterThan(0);
    for (const edit of edits) expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(fx.discord.messages(channel)[0]).toMatchObject({
      mention_everyone: false,
      content: 'Hi @everyone and more',
    });
  });

  it('replies with the first message only and streams into a DM by user id', async () => {
    const user = snowflake();
    const prompt = await fx.discord.injectMessage({
      content: 'question',
      author: { id: user, username: 'u' },
    });
    const result = await makeSender({ editIntervalMs: 0 }).stream({ userId: user }, items(['answer']), {
      replyTo: prompt.id,
    });
    expect(result.channelId).toBe(prompt.channel_id);
    const [, answer] = fx.discord.messages(prompt.channel_id);
    expect(answer?.message_reference?.message_id).toBe(prompt.id);
  });

  it('drops an edit left stale behind a rate limit and writes the newest text instead', async () => {
    const clock = new ManualClock();
    const channel = snowflake();
    const feed = new Feed();
    const s = makeSender({ clock, editIntervalMs: 1_000 });
    const done = s.stream(channel, feed);
    feed.push('one');
    await fx.discord.waitForRequest(posts);
    fx.discord.setLatency((r) => (r.method === 'PATCH' ? 300 : 0));
    feed.push(' two');
    clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    feed.push(' three');
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(1_000);
    fx.discord.setLatency(0);
    feed.end();
    await done;
    expect(s.getStats().staleEditsDropped).toBe(1);
    expect(fx.discord.messages(channel)[0]?.content).toBe('one two three');
  });

  it('rejects with ABORTED when the signal fires mid-stream, and stops editing', async () => {
    const channel = snowflake();
    const feed = new Feed();
    const controller = new AbortController();
    const done = makeSender({ editIntervalMs: 0 }).stream(channel, feed, { signal: controller.signal });
    feed.push('started');
    await fx.discord.waitForRequest(posts);
    controller.abort();
    feed.push(' more');
    await expect(done).rejects.toMatchObject({ code: 'ABORTED' });
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['started']);
  });

  it('rejects with ABORTED at once when the signal fires while the source is waiting', async () => {
    const channel = snowflake();
    const feed = new Feed();
    const controller = new AbortController();
    const done = makeSender({ editIntervalMs: 0 }).stream(channel, feed, { signal: controller.signal });
    feed.push('started');
    await fx.discord.waitForRequest(posts);
    controller.abort(); // the source never yields again (a stalled model)
    await expect(done).rejects.toMatchObject({ code: 'ABORTED' });
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['started']);
  });

  it('resolves with the delivery error at once when an edit fails while the source is waiting', async () => {
    const channel = snowflake();
    const feed = new Feed();
    fx.discord.scriptError({ method: 'PATCH', status: 403, code: 50013 });
    const done = makeSender({ editIntervalMs: 0 }).stream(channel, feed);
    feed.push('started');
    await fx.discord.waitForRequest(posts);
    feed.push(' more'); // its edit fails; then the source stalls (never yields again)
    const result = await done;
    expect(result.error).toMatchObject({ code: 'DISCORD_MISSING_PERMISSIONS', discordCode: 50013 });
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['started']);
  });

  it('close() ends a running stream: its edit timer is cleared and it resolves with CLOSED', async () => {
    const clock = new ManualClock();
    const channel = snowflake();
    const feed = new Feed();
    const s = makeSender({ clock, editIntervalMs: 1_000 });
    const done = s.stream(channel, feed);
    feed.push('one');
    await fx.discord.waitForRequest(posts);
    await new Promise((resolve) => setTimeout(resolve, 20));
    feed.push(' two'); // waits for the edit interval; then the source stalls
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.pending).toBe(1);
    s.close();
    expect(clock.pending).toBe(0);
    const result = await done;
    expect(result.error).toMatchObject({ code: 'CLOSED' });
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['one']);
  });

  it('resolves with a typed error when the reply cannot be delivered (closed DMs)', async () => {
    await fx.restart({ cannotDm: ['777777777777777777'] });
    const result = await makeSender().stream({ userId: '777777777777777777' }, items(['hello']));
    expect(result.error).toMatchObject({ code: 'DISCORD_CANNOT_DM', discordCode: 50007 });
    expect(result.messageIds).toEqual([]);
  });

  it('cleans control characters from streamed text', async () => {
    const channel = snowflake();
    const shown = fx.discord.waitForMessages(channel, (messages) => messages[0]?.content === 'ab\ncd');
    await makeSender({ editIntervalMs: 0 }).stream(channel, items(['a\u0000b\r\n', 'c\u001bd']));
    expect((await shown).map((m) => m.content)).toEqual(['ab\ncd']);
  });

  it('takes the OpenRouterClient stream type as is (no cast), reset included', async () => {
    interface Delta {
      type: 'delta';
      delta: string;
      model: string;
    }
    interface Reset {
      type: 'reset';
      model: string;
      reason: Error;
    }
    interface Done {
      type: 'done';
      model: string;
      usage: { prompt_tokens: number } | undefined;
      finishReason: string | null;
      attempts: number;
      latencyMs: number;
      ttftMs: number | undefined;
    }
    async function* openRouterLike(): AsyncIterable<Delta | Reset | Done> {
      yield { type: 'delta', delta: 'first model ', model: 'a' };
      yield { type: 'reset', model: 'b', reason: new Error('a failed') };
      yield { type: 'delta', delta: 'second model', model: 'b' };
      yield {
        type: 'done',
        model: 'b',
        usage: undefined,
        finishReason: 'stop',
        attempts: 2,
        latencyMs: 5,
        ttftMs: 1,
      };
    }
    const channel = snowflake();
    const result = await makeSender({ editIntervalMs: 0 }).stream(channel, openRouterLike());
    expect(result).toMatchObject({ text: 'second model', resets: 1 });
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(['second model']);
  });
});
