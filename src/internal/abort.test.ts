import { describe, expect, it } from 'vitest';
import { raceAbort } from './abort.ts';

describe('raceAbort', () => {
  it('rejects with the cancel error of the signal that aborted, and removes its listeners', async () => {
    const a = new AbortController();
    const b = new AbortController();
    const pending = new Promise<number>(() => {});
    const wait = raceAbort(pending, [
      { signal: a.signal, error: () => new Error('a') },
      { signal: b.signal, error: () => new Error('b') },
    ]);
    b.abort();
    await expect(wait).rejects.toThrow('b');
    const done = raceAbort(Promise.resolve(1), [{ signal: a.signal, error: () => new Error('a') }]);
    expect(await done).toBe(1);
    expect(() => a.abort()).not.toThrow();
  });

  it('rejects at once when a signal is already aborted', async () => {
    await expect(
      raceAbort(Promise.resolve(1), [{ signal: AbortSignal.abort(), error: () => new Error('early') }]),
    ).rejects.toThrow('early');
  });
});

describe('raceAbort: one signal', () => {
  it('accepts a single cancel, passes the reason to the error, and ignores an absent signal', async () => {
    const controller = new AbortController();
    const wait = raceAbort(new Promise<number>(() => {}), {
      signal: controller.signal,
      error: (reason) => new Error(`stopped: ${String(reason)}`),
    });
    controller.abort('user');
    await expect(wait).rejects.toThrow('stopped: user');
    expect(await raceAbort(Promise.resolve(2), { signal: undefined, error: () => new Error('x') })).toBe(2);
  });

  it('passes the promise rejection through when no signal aborts', async () => {
    const controller = new AbortController();
    await expect(
      raceAbort(Promise.reject(new Error('inner')), {
        signal: controller.signal,
        error: () => new Error('x'),
      }),
    ).rejects.toThrow('inner');
  });
});
