import { InvalidOptionsError, type StreamOptions } from 'chatlane';
import { ManualClock, snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const fx = useDiscordFixture({ token: 'stream-typing-token' });

const typingCount = () => fx.discord.requests.filter((r) => r.path.endsWith('/typing')).length;

/** Lets pending promise callbacks and the local HTTP round trip run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A source that yields nothing until `gate` opens, then `text`, then waits for `rest` before ending. */
async function* slowSource(gate: Promise<void>, text: string, rest: Promise<void>, error?: Error) {
  await gate;
  if (error) throw error;
  yield text;
  await rest;
  yield ' and the rest';
}

describe("DiscordSender.stream({ typing: 'until-first-text' })", () => {
  it('shows typing after the delay, refreshes it while no text is visible, and stops once the first text is posted', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock, editIntervalMs: 0 });
    const channel = snowflake();
    const first = deferred();
    const rest = deferred();
    const done = sender.stream(channel, slowSource(first.promise, 'first words', rest.promise), {
      typing: 'until-first-text',
    });
    await settle();
    clock.advance(800);
    await fx.discord.waitForRequest((r) => r.path === `/channels/${channel}/typing`);
    clock.advance(8_000);
    await settle();
    expect(typingCount()).toBe(2);
    first.resolve();
    await fx.discord.waitForMessages(channel, (messages) => messages.length === 1);
    clock.advance(30_000);
    await settle();
    expect(typingCount()).toBe(2);
    rest.resolve();
    const result = await done;
    expect(result.text).toBe('first words and the rest');
    expect(clock.pending).toBe(0);
  });

  it('sends no typing at all when the first text comes within the delay', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock });
    const channel = snowflake();
    const first = deferred();
    const rest = deferred();
    const done = sender.stream(channel, slowSource(first.promise, 'quick', rest.promise), {
      typing: 'until-first-text',
    });
    clock.advance(799);
    first.resolve();
    await fx.discord.waitForMessages(channel, (messages) => messages.length === 1);
    clock.advance(10_000);
    rest.resolve();
    await done;
    await settle();
    expect(typingCount()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('stops typing when the source fails before any text (the notice ends it)', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock });
    const channel = snowflake();
    const gate = deferred();
    const done = sender.stream(channel, slowSource(gate.promise, '', gate.promise, new Error('503')), {
      typing: 'until-first-text',
    });
    await settle();
    clock.advance(800);
    await fx.discord.waitForRequest((r) => r.path === `/channels/${channel}/typing`);
    gate.resolve();
    const result = await done;
    expect(result.failure).toMatchObject({ origin: 'source', noticeShown: true });
    expect(clock.pending).toBe(0);
    clock.advance(30_000);
    await settle();
    expect(typingCount()).toBe(1);
  });

  it('shows no typing without the option (the default)', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock });
    const channel = snowflake();
    const first = deferred();
    const done = sender.stream(channel, slowSource(first.promise, 'late', Promise.resolve()));
    await settle();
    clock.advance(10_000);
    await settle();
    first.resolve();
    await done;
    expect(typingCount()).toBe(0);
  });

  it('rejects an unknown typing mode with a typed error listing the allowed ones', async () => {
    const sender = fx.makeSender();
    const options = { typing: 'always' } as unknown as StreamOptions;
    const error = await sender
      .stream(snowflake(), ['x'] as unknown as AsyncIterable<string>, options)
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as Error).message).toContain("'none', 'until-first-text'");
  });
});
