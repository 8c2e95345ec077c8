import { SessionCache } from 'chatlane';
import { afterEach, describe, expect, it, vi } from 'vitest';

interface Profile {
  name: string;
}

/** A loader whose calls stay pending until the test resolves them. */
function controlledLoader() {
  const calls: { userId: string; resolve: (p: Profile) => void }[] = [];
  const loadProfile = (userId: string) =>
    new Promise<Profile>((resolve) => {
      calls.push({ userId, resolve });
    });
  return { calls, loadProfile };
}

const caches: SessionCache<Profile>[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

describe('SessionCache invalidation during a load', () => {
  it('a getProfile after invalidateUser does not join the load started before it', async () => {
    const { calls, loadProfile } = controlledLoader();
    const cache = new SessionCache<Profile>({ loadProfile });
    caches.push(cache);
    const before = cache.getProfile('u1');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await cache.invalidateUser('u1');
    const after = cache.getProfile('u1');
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(cache.getStats().inflight).toBe(2);
    calls[0]!.resolve({ name: 'old' });
    calls[1]!.resolve({ name: 'new' });
    expect((await before).name).toBe('old');
    expect((await after).name).toBe('new');
    expect((await cache.getProfile('u1')).name).toBe('new');
    expect(calls).toHaveLength(2);
  });

  it('a getProfile after invalidateServer does not join a load tied to that guild', async () => {
    const { calls, loadProfile } = controlledLoader();
    const cache = new SessionCache<Profile>({ loadProfile });
    caches.push(cache);
    const before = cache.getProfile('u1', { guildId: 'g1' });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await cache.invalidateServer('g1');
    const after = cache.getProfile('u1', { guildId: 'g1' });
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]!.resolve({ name: 'new' });
    calls[0]!.resolve({ name: 'old' });
    expect((await before).name).toBe('old');
    expect((await after).name).toBe('new');
    expect((await cache.getProfile('u1', { guildId: 'g1' })).name).toBe('new');
    expect(cache.getStats().inflight).toBe(0);
  });
});

describe('SessionCache guild tags at the end of a load', () => {
  it('a caller arriving as the load is being stored still ties the profile to its guild', async () => {
    let loads = 0;
    const cache = new SessionCache<Profile>({
      loadProfile: async () => ({ name: `v${++loads}` }),
    });
    caches.push(cache);
    let late: Promise<Profile> | undefined;
    const off = cache.on('profileLoaded', () => {
      late ??= cache.getProfile('u1', { guildId: 'g2' });
    });
    await cache.getProfile('u1', { guildId: 'g1' });
    off();
    expect((await late!).name).toBe('v1');
    const dropped = await cache.invalidateServer('g2');
    expect(dropped.userIds).toEqual(['u1']);
    expect((await cache.getProfile('u1')).name).toBe('v2');
  });
});
