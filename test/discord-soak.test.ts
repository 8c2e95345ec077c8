import { seededRandom, snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';
import { useDiscordFixture } from './helpers/discord-fixture.ts';

const fx = useDiscordFixture({
  token: 'soak',
  discord: () => {
    const random = seededRandom(11);
    return { latencyMs: () => Math.floor(random() * 8), bucketLimit: 40, globalLimit: false };
  },
  rest: { retries: 2, globalRequestsPerSecond: 10_000 },
});

describe('DiscordSender under load (concurrent streams and sends, 429s, latency)', () => {
  it('delivers every reply completely, in per-channel order, with nothing lost', async () => {
    const random = seededRandom(5);
    const s = fx.makeSender({ editIntervalMs: 5, random });
    const channels = Array.from({ length: 6 }, () => snowflake());
    for (const channel of channels)
      fx.discord.script429({ path: `/channels/${channel}/messages`, retryAfterMs: 20, times: 2 });
    fx.discord.script429({ retryAfterMs: 15, global: true, scope: 'global' });

    async function* words(id: number, count: number) {
      for (let i = 0; i < count; i += 1) {
        yield { type: 'delta', delta: `s${id}w${i} ` };
        if (i % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    const streams = Array.from({ length: 24 }, (_, id) => {
      const count = 20 + ((id * 37) % 400);
      return s
        .stream(channels[id % channels.length] ?? '', words(id, count))
        .then((result) => ({ id, result }));
    });
    const sends = Array.from({ length: 30 }, (_, i) =>
      s.send(channels[i % channels.length] ?? '', `send ${i}`),
    );
    const [streamResults, sendResults] = await Promise.all([Promise.all(streams), Promise.all(sends)]);

    for (const { id, result } of streamResults) {
      expect(result.error).toBeUndefined();
      const channel = channels[id % channels.length] ?? '';
      const shown = fx.discord
        .messages(channel)
        .filter((m) => result.messageIds.includes(m.id))
        .map((m) => m.content);
      expect(shown.length).toBe(result.messageIds.length);
      expect(shown.join(' ').replace(/\s+/g, ' ').trim()).toBe(result.text.replace(/\s+/g, ' ').trim());
    }
    for (const [i, result] of sendResults.entries()) {
      const channel = channels[i % channels.length] ?? '';
      expect(fx.discord.messages(channel).find((m) => m.id === result.messageIds[0])?.content).toBe(
        `send ${i}`,
      );
    }
    for (const channel of channels) {
      const plain = fx.discord
        .messages(channel)
        .map((m) => m.content)
        .filter((c) => c.startsWith('send '));
      const numbers = plain.map((c) => Number(c.slice('send '.length)));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    }
    const stats = s.getStats();
    expect(stats.rateLimited).toBeGreaterThanOrEqual(channels.length);
    expect(stats).toMatchObject({ sends: 30, streams: 24, failures: 0, queueDepth: 0, inFlight: 0 });
  });
});
