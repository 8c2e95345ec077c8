import {
  ClosedError,
  DiscordQueueFullError,
  DiscordSender,
  type DiscordSenderOptions,
  InvalidOptionsError,
  isChatlaneError,
  type RateLimitEvent,
} from 'chatlane';
import { snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const TOKEN = 'sender-token';

const fx = useDiscordFixture({ token: TOKEN, discord: { cannotDm: ['999999999999999999'] } });
const { makeSender, creates } = fx;

describe('DiscordSender queue', () => {
  it('sends DMs before guild messages when work is waiting', async () => {
    fx.discord.setLatency(20);
    const s = makeSender({ maxInFlight: 1 });
    const dm = fx.discord.dmChannelId(snowflake());
    const [a, b, c] = [snowflake(), snowflake(), snowflake()];
    await Promise.all([
      s.send(a, 'guild first'),
      s.send(b, 'guild second'),
      s.send(c, 'low', { priority: 'low' }),
      s.send({ channelId: dm, dm: true }, 'dm'),
    ]);
    expect(creates().map((r) => (r.body as { content: string }).content)).toEqual([
      'guild first',
      'dm',
      'guild second',
      'low',
    ]);
  });

  it('keeps per-channel order even with random latency', async () => {
    let call = 0;
    fx.discord.setLatency(() => [30, 0, 15, 5, 25, 0][call++ % 6] ?? 0);
    const s = makeSender();
    const channel = snowflake();
    const texts = Array.from({ length: 6 }, (_, i) => `message ${i}`);
    await Promise.all(texts.map((text) => s.send(channel, text)));
    expect(fx.discord.messages(channel).map((m) => m.content)).toEqual(texts);
  });

  it('rejects with DISCORD_QUEUE_FULL when the queue is full, and loses nothing it accepted', async () => {
    fx.discord.setLatency(20);
    const s = makeSender({ maxInFlight: 1, maxQueue: 1 });
    const channel = snowflake();
    const first = s.send(channel, 'first');
    await new Promise((resolve) => setImmediate(resolve));
    const second = s.send(snowflake(), 'second');
    const third = s.send(snowflake(), 'third');
    await expect(third).rejects.toBeInstanceOf(DiscordQueueFullError);
    await expect(third).rejects.toMatchObject({ code: 'DISCORD_QUEUE_FULL', retryable: true });
    await expect(first).resolves.toMatchObject({ messageIds: [expect.any(String)] });
    await expect(second).resolves.toMatchObject({ messageIds: [expect.any(String)] });
  });

  it('close() rejects queued work with ClosedError and refuses new work', async () => {
    fx.discord.setLatency(20);
    const s = makeSender({ maxInFlight: 1 });
    const inFlight = s.send(snowflake(), 'in flight');
    await new Promise((resolve) => setImmediate(resolve));
    const queued = s.send(snowflake(), 'queued');
    s.close();
    await expect(queued).rejects.toBeInstanceOf(ClosedError);
    await expect(inFlight).resolves.toBeDefined();
    await expect(s.send(snowflake(), 'late')).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('an abort while queued rejects with ABORTED and sends nothing', async () => {
    fx.discord.setLatency(20);
    const s = makeSender({ maxInFlight: 1 });
    const channel = snowflake();
    const first = s.send(channel, 'first');
    await new Promise((resolve) => setImmediate(resolve));
    const controller = new AbortController();
    const second = s.send(snowflake(), 'second', { signal: controller.signal });
    controller.abort();
    const error = await second.catch((e: unknown) => e);
    expect(isChatlaneError(error) && error.code).toBe('ABORTED');
    await first;
    expect(creates()).toHaveLength(1);
  });
});

describe('DiscordSender rate limits', () => {
  it('rides out a scripted 429, counts it, and holds the channel until reset + jitter', async () => {
    const channel = snowflake();
    const events: RateLimitEvent[] = [];
    const s = makeSender({ random: () => 0.5 });
    s.on('rateLimited', (event) => events.push(event));
    fx.discord.script429({ method: 'POST', path: `/channels/${channel}/messages`, retryAfterMs: 50 });
    const result = await s.send(channel, 'after the limit');
    expect(result.messageIds).toHaveLength(1);
    expect(fx.discord.messages(channel)).toHaveLength(1);
    const response = events.find((e) => e.source === 'response');
    expect(response).toMatchObject({ channelId: channel, retryAfterMs: 50, jitterMs: 200, global: false });
    for (const event of events) {
      expect(event.jitterMs).toBeGreaterThanOrEqual(100);
      expect(event.jitterMs).toBeLessThanOrEqual(300);
    }
    expect(s.getStats()).toMatchObject({ rateLimited: 1, invalidRequests: 1 });
    expect(s.getStats().rateLimitHolds).toBeGreaterThanOrEqual(1);
  });

  it('handles a global 429 without a retry storm', async () => {
    const channel = snowflake();
    const s = makeSender();
    fx.discord.script429({ retryAfterMs: 30, global: true, scope: 'global' });
    await s.send(channel, 'through');
    expect(creates()).toHaveLength(2);
    expect(s.getStats().rateLimited).toBe(1);
  });
});

describe('DiscordSender options', () => {
  it('names every bad option value', () => {
    let caught: unknown;
    try {
      new DiscordSender({
        rest: fx.rest,
        maxQueue: 0,
        jitterMinMs: 300,
        jitterMaxMs: 100,
        maxChars: 5000,
      } as DiscordSenderOptions);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    const message = (caught as InvalidOptionsError).message;
    expect(message).toContain('`maxQueue`');
    expect(message).toContain('`maxChars`');
    expect(() => new DiscordSender({} as DiscordSenderOptions)).toThrow(/`rest`/);
    expect(() => new DiscordSender({ rest: fx.rest, jitterMinMs: 300, jitterMaxMs: 100 })).toThrow(
      /jitterMaxMs/,
    );
  });

  it('accepts a Client and uses its REST', async () => {
    const { Client, GatewayIntentBits } = await import('discord.js');
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fx.discord.apiUrl } });
    client.rest.setToken(TOKEN);
    const s = new DiscordSender({ client });
    const channel = snowflake();
    await s.send(channel, 'via client');
    s.close();
    await client.destroy();
    expect(fx.discord.messages(channel)[0]?.content).toBe('via client');
  });
});
