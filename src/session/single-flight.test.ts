import { describe, expect, it } from 'vitest';
import { SingleFlight, waitUnlessCancelled } from './single-flight.ts';

describe('SingleFlight', () => {
  it('joins a flight in progress and forgets it once settled', async () => {
    const flights = new SingleFlight<number>();
    let release: (n: number) => void = () => {};
    const first = flights.join('k', () => new Promise<number>((resolve) => (release = resolve)));
    const second = flights.join('k', () => Promise.resolve(-1));
    expect(first.joined).toBe(false);
    expect(second.joined).toBe(true);
    expect(second.flight).toBe(first.flight);
    release(7);
    expect(await first.flight.promise).toBe(7);
    expect(flights.size).toBe(0);
    const third = flights.join('k', () => Promise.resolve(8));
    expect(third.joined).toBe(false);
    expect(await third.flight.promise).toBe(8);
  });

  it('a rejected flight with no waiter is not an unhandled rejection', async () => {
    const flights = new SingleFlight<number>();
    flights.join('k', () => Promise.reject(new Error('boom')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(flights.size).toBe(0);
  });

  it('abortAll aborts the signal handed to every load', () => {
    const flights = new SingleFlight<number>();
    let seen: AbortSignal | undefined;
    flights.join('k', (signal) => {
      seen = signal;
      return new Promise(() => {});
    });
    flights.abortAll(new Error('closed'));
    expect(seen?.aborted).toBe(true);
  });
});

describe('waitUnlessCancelled', () => {
  it('rejects with the cancel error of the signal that aborted, and removes its listeners', async () => {
    const a = new AbortController();
    const b = new AbortController();
    const pending = new Promise<number>(() => {});
    const wait = waitUnlessCancelled(pending, [
      { signal: a.signal, error: () => new Error('a') },
      { signal: b.signal, error: () => new Error('b') },
    ]);
    b.abort();
    await expect(wait).rejects.toThrow('b');
    const done = waitUnlessCancelled(Promise.resolve(1), [{ signal: a.signal, error: () => new Error('a') }]);
    expect(await done).toBe(1);
    expect(() => a.abort()).not.toThrow();
  });

  it('rejects at once when a signal is already aborted', async () => {
    await expect(
      waitUnlessCancelled(Promise.resolve(1), [
        { signal: AbortSignal.abort(), error: () => new Error('early') },
      ]),
    ).rejects.toThrow('early');
  });
});
