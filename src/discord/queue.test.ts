import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.ts';
import { SendQueue, type SendQueueLimits } from './queue.ts';

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

function makeQueue(overrides: Partial<SendQueueLimits> = {}) {
  return new SendQueue({
    maxQueue: 100,
    maxInFlight: 10,
    maxInFlightPerChannel: 3,
    clock: new ManualClock(),
    holdFor: () => 0,
    ...overrides,
  });
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SendQueue', () => {
  it('runs ordered jobs of a channel one at a time, in order', async () => {
    const queue = makeQueue();
    const log: string[] = [];
    const gates = [gate(), gate(), gate()];
    const jobs = gates.map((g, i) =>
      queue.push({
        channelId: 'c',
        priority: 'normal',
        ordered: true,
        run: async () => {
          log.push(`start ${i}`);
          await g.promise;
          log.push(`end ${i}`);
        },
      }),
    );
    await flush();
    expect(log).toEqual(['start 0']);
    gates[1]?.open();
    gates[2]?.open();
    gates[0]?.open();
    await Promise.all(jobs);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('caps unordered jobs per channel and all jobs overall', async () => {
    const queue = makeQueue({ maxInFlight: 4, maxInFlightPerChannel: 2 });
    const hold = gate();
    const run = async () => hold.promise;
    const all = ['a', 'a', 'a', 'b', 'b', 'c', 'c'].map((channelId) =>
      queue.push({ channelId, priority: 'normal', ordered: false, run }),
    );
    await flush();
    expect(queue.inFlight).toBe(4);
    expect(queue.depth).toBe(3);
    hold.open();
    await Promise.all(all);
    expect(queue.inFlight).toBe(0);
  });

  it('starts high before normal before low; aborting a queued job removes it', async () => {
    const queue = makeQueue({ maxInFlight: 1 });
    const started: string[] = [];
    const first = gate();
    const job = (name: string, priority: 'high' | 'normal' | 'low', signal?: AbortSignal) =>
      queue.push({
        channelId: name,
        priority,
        ordered: true,
        signal,
        run: async () => {
          started.push(name);
          if (name === 'first') await first.promise;
        },
      });
    const controller = new AbortController();
    const jobs = [job('first', 'low'), job('low', 'low'), job('normal', 'normal'), job('high', 'high')];
    const aborted = job('aborted', 'high', controller.signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    first.open();
    await Promise.all(jobs);
    expect(started).toEqual(['first', 'high', 'normal', 'low']);
  });

  it('holds a rate-limited channel until the clock passes the hold', async () => {
    const clock = new ManualClock();
    let heldUntil = 500;
    const queue = makeQueue({ clock, holdFor: () => Math.max(0, heldUntil - clock.now()) });
    let ran = false;
    const job = queue.push({
      channelId: 'c',
      priority: 'normal',
      ordered: true,
      run: async () => (ran = true),
    });
    await flush();
    clock.advance(499);
    await flush();
    expect(ran).toBe(false);
    heldUntil = 0;
    clock.advance(1);
    await job;
    expect(ran).toBe(true);
  });

  it('rejects when full and on close, never dropping silently', async () => {
    const queue = makeQueue({ maxQueue: 1, maxInFlight: 1 });
    const hold = gate();
    const running = queue.push({
      channelId: 'a',
      priority: 'normal',
      ordered: true,
      run: () => hold.promise,
    });
    await flush();
    const waiting = queue.push({ channelId: 'b', priority: 'normal', ordered: true, run: async () => 'b' });
    await expect(
      queue.push({ channelId: 'c', priority: 'high', ordered: true, run: async () => 'c' }),
    ).rejects.toMatchObject({
      code: 'DISCORD_QUEUE_FULL',
    });
    queue.close(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    hold.open();
    await running;
    await expect(
      queue.push({ channelId: 'd', priority: 'normal', ordered: true, run: async () => 'd' }),
    ).rejects.toThrow('closed');
  });
});
