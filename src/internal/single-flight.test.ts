import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight.ts';

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

describe('SingleFlight: waiting', () => {
  it('a waiter that aborts leaves; the load runs on for the others', async () => {
    const flights = new SingleFlight<number>();
    let release: (n: number) => void = () => {};
    const { flight } = flights.join('k', () => new Promise<number>((resolve) => (release = resolve)));
    const leaving = new AbortController();
    const first = flights.wait(flight, [{ signal: leaving.signal, error: () => new Error('left') }]);
    const second = flights.wait(flight, []);
    leaving.abort();
    await expect(first).rejects.toThrow('left');
    expect(flight.signal.aborted).toBe(false);
    release(3);
    expect(await second).toBe(3);
  });

  it('with cancelWhenAbandoned, the last waiter leaving aborts the load and the next caller starts anew', async () => {
    const flights = new SingleFlight<number>({ cancelWhenAbandoned: true });
    const { flight } = flights.join('k', () => new Promise<number>(() => {}));
    const a = new AbortController();
    const b = new AbortController();
    const waits = [a, b].map((c) =>
      flights.wait(flight, [{ signal: c.signal, error: () => new Error('gone') }]),
    );
    a.abort();
    await expect(waits[0]).rejects.toThrow('gone');
    expect(flight.signal.aborted).toBe(false);
    b.abort('bye');
    await expect(waits[1]).rejects.toThrow('gone');
    expect(flight.signal.aborted).toBe(true);
    expect(flight.signal.reason).toBe('bye');
    const next = flights.join('k', () => Promise.resolve(9));
    expect(next.joined).toBe(false);
    expect(await next.flight.promise).toBe(9);
  });

  it('keeps extra per-flight state made by the owner', () => {
    const flights = new SingleFlight<number, { tags: string[] }>({}, () => ({ tags: [] }));
    const { flight } = flights.join('k', () => new Promise<number>(() => {}));
    flight.tags.push('g1');
    expect(flights.get('k')?.tags).toEqual(['g1']);
  });
});
