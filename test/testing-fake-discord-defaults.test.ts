import { DEFAULT_FAKE_DISCORD_OPTIONS, FakeDiscord } from 'chatlane/testing';
import { afterEach, describe, expect, it } from 'vitest';

let discord: FakeDiscord | undefined;
afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

describe('DEFAULT_FAKE_DISCORD_OPTIONS', () => {
  it('is what a FakeDiscord started without options announces and enforces', async () => {
    discord = await FakeDiscord.start({ token: 'defaults-token' });
    const socket = new WebSocket(`${discord.gatewayUrl}/?v=10&encoding=json`);
    const hello = await new Promise<{ op: number; d: { heartbeat_interval: number } }>((resolve, reject) => {
      socket.addEventListener('message', (event) => resolve(JSON.parse(String(event.data))), { once: true });
      socket.addEventListener('error', () => reject(new Error('gateway connection failed')), { once: true });
    });
    socket.close();
    expect(hello.op).toBe(10);
    expect(hello.d.heartbeat_interval).toBe(DEFAULT_FAKE_DISCORD_OPTIONS.heartbeatIntervalMs);

    // One route bucket: `bucketLimit` requests pass in a window, the next one gets a real 429.
    const channelId = discord.dmChannelId('123456789012345678');
    const post = () =>
      fetch(`${discord!.apiUrl}/channels/${channelId}/typing`, {
        method: 'POST',
        headers: { authorization: 'Bot defaults-token' },
      });
    const statuses = await Promise.all(
      Array.from({ length: DEFAULT_FAKE_DISCORD_OPTIONS.bucketLimit + 1 }, async () => (await post()).status),
    );
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_FAKE_DISCORD_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_FAKE_DISCORD_OPTIONS.waitForReply)).toBe(true);
  });
});
