import type { REST } from 'discord.js';
import QuickLRU from 'quick-lru';
import { AbortError } from '../errors.ts';
import { toDiscordError } from './errors.ts';
import type { DiscordTarget } from './types.ts';

/** A resolved target: the channel to post in and whether it is a DM. */
export interface ResolvedTarget {
  channelId: string;
  dm: boolean;
}

const CREATE_DM_PATH = '/users/@me/channels';

/**
 * Resolves targets to channel ids. A `{ userId }` target opens the DM channel once
 * (`POST /users/@me/channels`), caches it (LRU) and shares one request between concurrent callers.
 */
export class DmChannels {
  readonly #rest: REST;
  readonly #byUser: QuickLRU<string, string>;
  readonly #dmIds = new Set<string>();
  readonly #lookups = new Map<string, Promise<string>>();

  constructor(rest: REST, maxSize: number) {
    this.#rest = rest;
    this.#byUser = new QuickLRU({ maxSize, onEviction: (_user, channelId) => this.#dmIds.delete(channelId) });
  }

  /** The channel of `target`; a known DM channel id counts as a DM. */
  async resolve(target: DiscordTarget, signal: AbortSignal | undefined): Promise<ResolvedTarget> {
    if (typeof target === 'string') return { channelId: target, dm: this.#dmIds.has(target) };
    if ('channelId' in target)
      return { channelId: target.channelId, dm: target.dm ?? this.#dmIds.has(target.channelId) };
    return { channelId: await untilAborted(this.#open(target.userId), signal), dm: true };
  }

  /** The shared lookup takes no caller's signal: one caller aborting must not fail the others. */
  #open(userId: string): Promise<string> {
    const cached = this.#byUser.get(userId);
    if (cached !== undefined) return Promise.resolve(cached);
    let lookup = this.#lookups.get(userId);
    if (!lookup) {
      lookup = this.#rest
        .post(CREATE_DM_PATH, { body: { recipient_id: userId } })
        .then((channel) => {
          const id = (channel as { id: string }).id;
          this.#byUser.set(userId, id);
          this.#dmIds.add(id);
          return id;
        })
        .catch((error: unknown) => {
          throw toDiscordError(error, 'POST', CREATE_DM_PATH);
        })
        .finally(() => this.#lookups.delete(userId));
      lookup.catch(() => {}); // every caller gets the failure; none left waiting is not unhandled
      this.#lookups.set(userId, lookup);
    }
    return lookup;
  }
}

/** `promise`, or an `AbortError` as soon as `signal` fires (the work itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortError('Discord DM channel lookup aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError('Discord DM channel lookup aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
