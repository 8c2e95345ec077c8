import { ClosedError, InFlight } from 'chatlane';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => vi.useRealTimers());

describe('InFlight', () => {
  it('tracks tasks and forgets them when they settle', async () => {
    const inFlight = new InFlight();
    const ok = inFlight.run(async () => 'done');
    const bad = inFlight.run(async () => {
      throw new Error('task failed');
    });
    expect(inFlight.size).toBe(2);
    await expect(ok).resolves.toBe('done');
    await expect(bad).rejects.toThrow('task failed');
    await Promise.resolve();
    expect(inFlight.size).toBe(0);
  });

  it('drain waits for running tasks, refuses new ones, and aborts those past the deadline', async () => {
    vi.useFakeTimers();
    const inFlight = new InFlight();
    let quickResolve!: () => void;
    const quick = inFlight.run(() => new Promise<void>((r) => (quickResolve = r)));
    let abortedWith: unknown;
    const slow = inFlight.run(
      (signal) =>
        new Promise<void>((_, reject) =>
          signal.addEventListener('abort', () => {
            abortedWith = signal.reason;
            reject(signal.reason);
          }),
        ),
    );
    slow.catch(() => undefined);
    await Promise.resolve();
    const drained = inFlight.drain(1_000);
    await expect(inFlight.run(async () => 1)).rejects.toBeInstanceOf(ClosedError);
    quickResolve();
    await quick;
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(drained).resolves.toEqual({ finished: 1, abandoned: 1 });
    expect(abortedWith).toBeInstanceOf(ClosedError);
  });

  it('drain of an idle tracker returns at once', async () => {
    await expect(new InFlight().drain(5)).resolves.toEqual({ finished: 0, abandoned: 0 });
  });

  it('drain waits for aborted tasks to wind down (up to the grace), so closing after it cuts nothing off', async () => {
    vi.useFakeTimers();
    const inFlight = new InFlight();
    const steps: string[] = [];
    void inFlight.run(
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            // The aborted task still apologises and logs: that takes a little while.
            setTimeout(() => {
              steps.push('task wound down');
              resolve();
            }, 300);
          }),
        ),
    );
    void inFlight.run(() => new Promise<void>(() => undefined)); // ignores its signal
    await Promise.resolve();
    const drained = inFlight.drain(1_000, 2_000).then((result) => {
      steps.push('drained');
      return result;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(steps).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(steps).toEqual(['task wound down']);
    await vi.advanceTimersByTimeAsync(1_700);
    await expect(drained).resolves.toEqual({ finished: 0, abandoned: 2 });
    expect(steps).toEqual(['task wound down', 'drained']);
  });
});
