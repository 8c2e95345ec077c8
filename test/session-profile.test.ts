import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AbortError,
  ClosedError,
  InvalidOptionsError,
  isChatlaneError,
  ProfileLoadError,
  SessionCache,
  type SessionCacheEvents,
} from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

interface Profile {
  id: string;
  name: string;
  version: number;
}

/** A loader whose calls stay pending until the test resolves or rejects them. */
function controlledLoader() {
  const calls: {
    userId: string;
    signal: AbortSignal;
    resolve: (p: Profile) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const loadProfile = (userId: string, { signal }: { signal: AbortSignal }) =>
    new Promise<Profile>((resolve, reject) => {
      calls.push({ userId, signal, resolve, reject });
    });
  return { calls, loadProfile };
}

let version = 0;
const countingLoader = vi.fn(async (userId: string) => ({
  id: userId,
  name: `user ${userId}`,
  version: ++version,
}));

const caches: SessionCache<Profile>[] = [];
function track(cache: SessionCache<Profile>): SessionCache<Profile> {
  caches.push(cache);
  return cache;
}

afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
  countingLoader.mockClear();
  vi.useRealTimers();
});

describe('SessionCache profiles', () => {
  it('loads once, then answers from the cache (hit rate counted)', async () => {
    const cache = track(new SessionCache<Profile>({ loadProfile: countingLoader }));
    const first = await cache.getProfile('u1');
    const second = await cache.getProfile('u1');
    expect(second).toBe(first);
    expect(countingLoader).toHaveBeenCalledTimes(1);
    const stats = cache.getStats();
    expect(stats).toMatchObject({ hits: 1, misses: 1, loads: 1, hitRate: 0.5, profiles: 1 });
  });

  it('single-flight: 50 concurrent misses for one user run the loader once', async () => {
    const { calls, loadProfile } = controlledLoader();
    const cache = track(new SessionCache<Profile>({ loadProfile }));
    const waiters = Array.from({ length: 50 }, () => cache.getProfile('u1'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]!.resolve({ id: 'u1', name: 'one', version: 1 });
    const results = await Promise.all(waiters);
    expect(new Set(results).size).toBe(1);
    expect(cache.getStats()).toMatchObject({ loads: 1, misses: 50, coalesced: 49, inflight: 0 });
  });

  it('different users load in parallel', async () => {
    const { calls, loadProfile } = controlledLoader();
    const cache = track(new SessionCache<Profile>({ loadProfile }));
    const a = cache.getProfile('a');
    const b = cache.getProfile('b');
    await vi.waitFor(() => expect(calls.map((c) => c.userId).sort()).toEqual(['a', 'b']));
    for (const call of calls) call.resolve({ id: call.userId, name: call.userId, version: 1 });
    expect((await a).id).toBe('a');
    expect((await b).id).toBe('b');
  });

  it('a failing loader is not cached and its error reaches every waiter', async () => {
    const { calls, loadProfile } = controlledLoader();
    const cache = track(new SessionCache<Profile>({ loadProfile }));
    const failures: SessionCacheEvents['profileLoadFailed'][] = [];
    cache.on('profileLoadFailed', (event) => failures.push(event));
    const waiters = Array.from({ length: 5 }, () => cache.getProfile('u1'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    const cause = new Error('database down');
    calls[0]!.reject(cause);
    const errors = await Promise.all(
      waiters.map((w) =>
        w.then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    );
    expect(new Set(errors).size).toBe(1);
    const error = errors[0] as ProfileLoadError;
    expect(error).toBeInstanceOf(ProfileLoadError);
    expect(error).toMatchObject({ code: 'SESSION_PROFILE_LOAD', userId: 'u1', retryable: true, cause });
    expect(failures).toEqual([{ userId: 'u1', error }]);
    // Not cached: the next call loads again and succeeds.
    const next = cache.getProfile('u1');
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]!.resolve({ id: 'u1', name: 'back', version: 2 });
    expect((await next).name).toBe('back');
    expect(cache.getStats()).toMatchObject({ loads: 2, loadErrors: 1 });
  });

  it('a loader returning undefined is a ProfileLoadError', async () => {
    const cache = track(
      new SessionCache<Profile>({ loadProfile: async () => undefined as unknown as Profile }),
    );
    await expect(cache.getProfile('u1')).rejects.toBeInstanceOf(ProfileLoadError);
  });

  it('a caller aborting its own wait does not cancel the shared load for the others', async () => {
    const { calls, loadProfile } = controlledLoader();
    const cache = track(new SessionCache<Profile>({ loadProfile }));
    const controller = new AbortController();
    const impatient = cache.getProfile('u1', { signal: controller.signal });
    const patient = cache.getProfile('u1');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    controller.abort(new Error('user left'));
    await expect(impatient).rejects.toBeInstanceOf(AbortError);
    expect(calls[0]!.signal.aborted).toBe(false);
    calls[0]!.resolve({ id: 'u1', name: 'one', version: 1 });
    expect((await patient).name).toBe('one');
    // The load finished into the cache even though its first caller gave up.
    expect(await cache.getProfile('u1')).toMatchObject({ name: 'one' });
    expect(cache.getStats().loads).toBe(1);
  });

  it('an already aborted signal rejects at once without loading', async () => {
    const cache = track(new SessionCache<Profile>({ loadProfile: countingLoader }));
    await expect(cache.getProfile('u1', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(countingLoader).not.toHaveBeenCalled();
  });

  it('profiles expire after the TTL (2 minutes by default)', async () => {
    vi.useFakeTimers();
    const cache = track(new SessionCache<Profile>({ loadProfile: countingLoader }));
    await cache.getProfile('u1');
    vi.advanceTimersByTime(119_999);
    await cache.getProfile('u1');
    expect(countingLoader).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    await cache.getProfile('u1');
    expect(countingLoader).toHaveBeenCalledTimes(2);
    expect(cache.getStats().expirations).toBe(1);
  });

  it('the injected clock drives the TTL', async () => {
    const clock = new ManualClock(1_000);
    const cache = track(new SessionCache<Profile>({ loadProfile: countingLoader, profileTtlMs: 50, clock }));
    await cache.getProfile('u1');
    clock.advance(49);
    await cache.getProfile('u1');
    clock.advance(1);
    await cache.getProfile('u1');
    expect(countingLoader).toHaveBeenCalledTimes(2);
  });

  it('background cleanup drops expired profiles every 60 s, unprompted', async () => {
    vi.useFakeTimers();
    const cache = track(new SessionCache<Profile>({ loadProfile: countingLoader }));
    const cleanups: number[] = [];
    cache.on('cleanup', ({ removed }) => cleanups.push(removed));
    await Promise.all(['a', 'b', 'c'].map((id) => cache.getProfile(id)));
    expect(cache.getStats().profiles).toBe(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(cleanups).toEqual([0]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(cleanups).toEqual([0, 3]);
    expect(cache.getStats()).toMatchObject({ profiles: 0, expirations: 3 });
  });

  it('close() stops the cleanup timer', async () => {
    vi.useFakeTimers();
    const cache = new SessionCache<Profile>({ loadProfile: countingLoader });
    expect(vi.getTimerCount()).toBe(1);
    await cache.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the cleanup timer is unref'd: a process with an open cache still exits", async () => {
    const script = `import { SessionCache } from 'chatlane';
      const cache = new SessionCache({ loadProfile: async (id) => ({ id }) });
      await cache.getProfile('u1');
      console.log('exiting');`;
    const conditions = process.env.CHATLANE_TARGET === 'dist' ? [] : ['--conditions=chatlane-source'];
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...conditions, '--input-type=module', '-e', script],
      {
        timeout: 15_000,
      },
    );
    expect(stdout.trim()).toBe('exiting');
  });

  it('the LRU bound evicts the least recently used profiles', async () => {
    const cache = track(new SessionCache<Profile>({ loadProfile: countingLoader, maxProfiles: 2 }));
    for (const id of ['a', 'b', 'c', 'd', 'e']) await cache.getProfile(id);
    expect(cache.getStats().evictions).toBeGreaterThan(0);
    countingLoader.mockClear();
    await cache.getProfile('e');
    expect(countingLoader).not.toHaveBeenCalled();
    await cache.getProfile('a');
    expect(countingLoader).toHaveBeenCalledTimes(1);
  });

  it('invalidateUser drops the profile and a load in flight is not cached', async () => {
    const { calls, loadProfile } = controlledLoader();
    const cache = track(new SessionCache<Profile>({ loadProfile }));
    const invalidated: SessionCacheEvents['invalidated'][] = [];
    cache.on('invalidated', (event) => invalidated.push(event));
    const inFlight = cache.getProfile('u1');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await cache.invalidateUser('u1');
    calls[0]!.resolve({ id: 'u1', name: 'stale', version: 1 });
    expect((await inFlight).name).toBe('stale');
    const fresh = cache.getProfile('u1');
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]!.resolve({ id: 'u1', name: 'fresh', version: 2 });
    expect((await fresh).name).toBe('fresh');
    expect(await cache.getProfile('u1')).toMatchObject({ name: 'fresh' });
    await cache.invalidateUser('u1');
    expect(cache.getStats().profiles).toBe(0);
    expect(invalidated).toEqual([
      { scope: 'user', id: 'u1', origin: 'local' },
      { scope: 'user', id: 'u1', origin: 'local' },
    ]);
  });

  it('invalidateServer drops only the profiles tied to that guild', async () => {
    const cache = track(new SessionCache<Profile>({ loadProfile: countingLoader }));
    await cache.getProfile('alice', { guildId: 'g1' });
    await cache.getProfile('bob', { guildId: 'g2' });
    await cache.getProfile('carol');
    await cache.getProfile('carol', { guildId: 'g1' }); // a hit that ties carol to g1 as well
    const dropped = await cache.invalidateServer('g1');
    expect([...dropped.userIds].sort()).toEqual(['alice', 'carol']);
    countingLoader.mockClear();
    await cache.getProfile('bob');
    expect(countingLoader).not.toHaveBeenCalled();
    await cache.getProfile('alice');
    await cache.getProfile('carol');
    expect(countingLoader).toHaveBeenCalledTimes(2);
  });

  it('close() rejects waiters with ClosedError, aborts the loader signal, and later calls throw', async () => {
    const { calls, loadProfile } = controlledLoader();
    const cache = new SessionCache<Profile>({ loadProfile });
    const waiter = cache.getProfile('u1');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await cache.close();
    await expect(waiter).rejects.toBeInstanceOf(ClosedError);
    expect(calls[0]!.signal.aborted).toBe(true);
    await expect(cache.getProfile('u1')).rejects.toBeInstanceOf(ClosedError);
    await expect(cache.close()).resolves.toBeUndefined();
  });

  it('validates options and arguments, naming the bad value', async () => {
    expect(() => new SessionCache({ loadProfile: 'nope' as never })).toThrow(InvalidOptionsError);
    try {
      new SessionCache({ loadProfile: countingLoader, profileTtlMs: -1, historyBudgets: { dm: 0 } });
      expect.unreachable();
    } catch (error) {
      expect(isChatlaneError(error)).toBe(true);
      expect((error as InvalidOptionsError).issues.join('\n')).toMatch(
        /profileTtlMs[\s\S]*historyBudgets\.dm/,
      );
    }
    const cache = track(new SessionCache<Profile>({ loadProfile: countingLoader }));
    await expect(cache.getProfile('')).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(cache.getProfile('u1', { guildId: '' })).rejects.toThrow(/guildId/);
  });
});
