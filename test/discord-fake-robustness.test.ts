import { connect } from 'node:net';
import { FakeDiscord, snowflake } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';

/** Lets the server see the hang-up and settle its handler. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('FakeDiscord robustness', () => {
  it('a client hanging up mid-body leaves no unhandled rejection and the fake keeps serving', async () => {
    const discord = await FakeDiscord.start();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const { port } = new URL(discord.apiUrl);
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const path = `/api/v10/channels/${snowflake()}/messages`;
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n`);
      socket.write('Content-Length: 100\r\n\r\n{"content":');
      await settle();
      socket.destroy();
      await settle();
      const answer = await fetch(`${discord.apiUrl}/v10/gateway/bot`, {
        headers: { authorization: 'Bot any' },
      });
      expect(answer.status).toBe(200);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await discord.close();
    }
  });

  it('a waitForRequest predicate that throws rejects the wait with that error (no hang)', async () => {
    const discord = await FakeDiscord.start();
    try {
      const waiting = discord.waitForRequest(() => {
        throw new Error('predicate bug');
      });
      const failed = expect(waiting).rejects.toThrow('predicate bug');
      await fetch(`${discord.apiUrl}/v10/gateway/bot`, { headers: { authorization: 'Bot any' } });
      await failed;
    } finally {
      await discord.close();
    }
  });
});
