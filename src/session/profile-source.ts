import type { z } from 'zod';
import { AbortError, ClosedError } from '../errors.ts';
import type { AbortCancel } from '../internal/abort.ts';
import type { EventHub } from '../internal/events.ts';
import { type Flight as SharedFlight, SingleFlight } from '../internal/single-flight.ts';
import { ProfileLoadError } from './errors.ts';
import type { SessionCacheEvents, SessionCounters } from './events.ts';
import type { ProfileLoader } from './options.ts';
import { type ProfileCheck, profileChecker } from './profile-check.ts';
import type { ResilientStore } from './resilient-store.ts';
import type { HistoryMessage } from './types.ts';

/** What a profile load remembers of its callers: the guild ids they tied to the user meanwhile. */
interface ProfileFlightTags {
  readonly guildIds: Set<string>;
}

/** A profile load in flight, with the guild ids of its callers. */
export type Flight<P> = SharedFlight<P> & ProfileFlightTags;

/** What a {@link ProfileSource} works with (all owned by its cache). */
export interface ProfileSourceContext<P, M extends HistoryMessage> {
  readonly loadProfile: ProfileLoader<P>;
  readonly profileTtlMs: number;
  readonly profileSchema: z.ZodType<P> | undefined;
  /** Validate profiles read from the store (a user-given store may hold anything). */
  readonly validateReads: boolean;
  readonly store: ResilientStore<P, M>;
  readonly counters: SessionCounters;
  readonly events: EventHub<SessionCacheEvents>;
  /** Aborted by the cache's `close()`. */
  readonly closed: AbortSignal;
  /** Keeps `close()` waiting for a background write. */
  readonly track: (promise: Promise<unknown>) => void;
}

/**
 * The profile half of a session cache: read the store (validating what it holds), else load
 * single-flight, validate the loader's result, write it back in the background.
 */
export class ProfileSource<P, M extends HistoryMessage> {
  readonly #context: ProfileSourceContext<P, M>;
  readonly #check: (value: unknown) => ProfileCheck<P>;
  readonly #flights = new SingleFlight<P, ProfileFlightTags>({}, () => ({ guildIds: new Set<string>() }));

  constructor(context: ProfileSourceContext<P, M>) {
    this.#context = context;
    this.#check = profileChecker(context.profileSchema);
  }

  /** Loads in flight now. */
  get inflight(): number {
    return this.#flights.size;
  }

  /** The profile (see `SessionCache.getProfile`). */
  async get(userId: string, guildId: string | undefined, signal: AbortSignal | undefined): Promise<P> {
    const { counters } = this.#context;
    let flight = this.#flights.get(userId);
    if (!flight) {
      const cached = await this.#read(userId, guildId, signal);
      if (cached !== undefined) {
        counters.hits += 1;
        return cached;
      }
      if (this.#context.closed.aborted) throw new ClosedError('SessionCache');
      const started = this.#flights.join(userId, (loadSignal, own) => this.#load(userId, loadSignal, own));
      flight = started.flight;
      if (started.joined) counters.coalesced += 1;
    } else {
      counters.coalesced += 1;
    }
    counters.misses += 1;
    if (guildId !== undefined) flight.guildIds.add(guildId);
    return this.#flights.wait(flight, this.#cancels(signal));
  }

  /** Loads in flight matching `match` answer their waiters but are not cached; later calls reload. */
  markStale(match: (userId: string, flight: Flight<P>) => boolean): void {
    const stale = [...this.#flights.entries()].filter(([userId, flight]) => match(userId, flight));
    for (const [userId, flight] of stale) {
      flight.stale = true;
      this.#flights.forget(userId, flight);
    }
  }

  /** Aborts every load (the cache is closing). */
  abortAll(reason: Error): void {
    this.#flights.abortAll(reason);
  }

  async #load(userId: string, signal: AbortSignal, flight: Flight<P>): Promise<P> {
    const { counters, events } = this.#context;
    counters.loads += 1;
    const started = performance.now();
    let profile: P;
    try {
      profile = this.#accept(await this.#context.loadProfile(userId, { signal }));
    } catch (cause) {
      if (this.#context.closed.aborted) throw new ClosedError('SessionCache');
      const error = new ProfileLoadError(userId, cause);
      counters.loadErrors += 1;
      events.emit('profileLoadFailed', { userId, error });
      throw error;
    }
    // From here on a new caller reads the store (tagging its guild) instead of joining this load,
    // whose guild ids are written now.
    this.#flights.forget(userId, flight);
    if (!flight.stale && !this.#context.closed.aborted) {
      const options = { ttlMs: this.#context.profileTtlMs, guildIds: [...flight.guildIds] };
      this.#context.track(this.#context.store.setProfile(userId, profile, options));
    }
    events.emit('profileLoaded', { userId, durationMs: performance.now() - started });
    return profile;
  }

  /** The loader's result, validated like a stored profile (a failure is a `ProfileLoadError`). */
  #accept(profile: P): P {
    if (profile === undefined) throw new TypeError('loadProfile returned undefined');
    const check = this.#check(profile);
    if (!check.ok) throw new TypeError(`loadProfile returned an invalid profile: ${check.reason}`);
    return check.value;
  }

  /** The stored profile; a corrupt one (failing validation) is reported and read as a miss. */
  async #read(userId: string, guildId: string | undefined, signal?: AbortSignal): Promise<P | undefined> {
    const stored: unknown = await this.#context.store.getProfile(userId, guildId, signal);
    if (stored === undefined || !this.#context.validateReads) return stored as P | undefined;
    const check = this.#check(stored);
    if (check.ok) return check.value;
    this.#context.counters.corruptEntries += 1;
    this.#context.events.emit('corruptEntry', { kind: 'profile', id: userId, reason: check.reason });
    return undefined;
  }

  #cancels(signal: AbortSignal | undefined): AbortCancel[] {
    const closed: AbortCancel = {
      signal: this.#context.closed,
      error: () => new ClosedError('SessionCache'),
    };
    if (!signal) return [closed];
    return [closed, { signal, error: () => new AbortError(undefined, { cause: signal.reason }) }];
  }
}
