import { ManualClock, snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const fx = useDiscordFixture({ token: 'typing-token' });

const typingCount = () => fx.discord.requests.filter((r) => r.path.endsWith('/typing')).length;

/** Lets pending promise callbacks and the local HTTP round trip run. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 30));
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('DiscordSender.withTyping', () => {
  it('sends no typing at all when the reply is ready within the delay', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock });
    const channel = snowflake();
    const result = await sender.withTyping(channel, async () => {
      clock.advance(799);
      return sender.send(channel, 'quick');
    });
    clock.advance(10_000);
    await settle();
    expect(result?.messageIds).toHaveLength(1);
    expect(typingCount()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('starts after the delay, refreshes before the 10 s expiry, stops when the reply is sent', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock });
    const channel = snowflake();
    const work = deferred<void>();
    const done = sender.withTyping(channel, () => work.promise);
    await settle();
    clock.advance(800);
    await fx.discord.waitForRequest((r) => r.path === `/channels/${channel}/typing`);
    expect(typingCount()).toBe(1);
    clock.advance(7_999);
    await settle();
    expect(typingCount()).toBe(1);
    clock.advance(1);
    await settle();
    expect(typingCount()).toBe(2);
    clock.advance(8_000);
    await settle();
    expect(typingCount()).toBe(3);
    work.resolve();
    await done;
    clock.advance(60_000);
    await settle();
    expect(typingCount()).toBe(3);
    expect(sender.getStats().typing).toEqual({ sent: 3, failed: 0 });
  });

  it('a failing typing call never fails the reply', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock });
    const channel = snowflake();
    fx.discord.scriptError({ path: '/typing', status: 403, code: 50013 });
    const work = deferred<string>();
    const done = sender.withTyping(channel, () => work.promise);
    await settle();
    clock.advance(800);
    await fx.discord.waitForRequest((r) => r.path.endsWith('/typing'));
    await settle();
    work.resolve('still fine');
    await expect(done).resolves.toBe('still fine');
    expect(sender.getStats().typing).toEqual({ sent: 0, failed: 1 });
  });

  it('runs fn without an indicator when the DM channel for typing cannot be opened', async () => {
    fx.discord.scriptError({ path: '/users/@me/channels', status: 403, code: 50001 });
    const sender = fx.makeSender({ clock: new ManualClock() });
    let ran = false;
    const result = await sender.withTyping({ userId: snowflake() }, async () => {
      ran = true;
      return 'reply built';
    });
    expect({ ran, result }).toEqual({ ran: true, result: 'reply built' });
    expect(sender.getStats().typing).toEqual({ sent: 0, failed: 1 });
    expect(typingCount()).toBe(0);
  });

  it('starts no indicator when the signal has already fired', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock });
    const work = deferred<string>();
    const done = sender.withTyping(snowflake(), () => work.promise, { signal: AbortSignal.abort() });
    await settle();
    clock.advance(10_000);
    await settle();
    work.resolve('done');
    await expect(done).resolves.toBe('done');
    expect(typingCount()).toBe(0);
  });

  it('close() stops running typing timers', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock });
    const never = new Promise<void>(() => {});
    void sender.withTyping(snowflake(), () => never);
    await settle();
    expect(clock.pending).toBe(1);
    await sender.close();
    expect(clock.pending).toBe(0);
  });

  it('stops refreshing once the reply is visible, even while fn keeps streaming', async () => {
    const clock = new ManualClock();
    const sender = fx.makeSender({ clock, editIntervalMs: 0 });
    const channel = snowflake();
    const first = deferred<void>();
    const more = deferred<void>();
    async function* tokens() {
      await first.promise;
      yield 'first words';
      await more.promise;
      yield ' and the rest';
    }
    const done = sender.withTyping(channel, () => sender.stream(channel, tokens()));
    await settle();
    clock.advance(800);
    await fx.discord.waitForRequest((r) => r.path.endsWith('/typing'));
    first.resolve();
    await fx.discord.waitForMessages(channel, (messages) => messages.length === 1);
    await settle();
    clock.advance(30_000);
    await settle();
    expect(typingCount()).toBe(1);
    more.resolve();
    await done;
    expect(fx.discord.messages(channel)[0]?.content).toBe('first words and the rest');
  });
});
