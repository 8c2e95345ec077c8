import type { REST } from 'discord.js';
import QuickLRU from 'quick-lru';
import { AbortError } from '../errors.ts';
import { type AbortCancel, raceAbort } from '../internal/abort.ts';
import { SingleFlight } from '../internal/single-flight.ts';
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
  readonly #lookups = new SingleFlight<string>();

  constructor(rest: REST, maxSize: number) {
    this.#rest = rest;
    this.#byUser = new QuickLRU({ maxSize, onEviction: (_user, channelId) => this.#dmIds.delete(channelId) });
  }

  /** The channel of `target`; a known DM channel id counts as a DM. */
  async resolve(target: DiscordTarget, signal: AbortSignal | undefined): Promise<ResolvedTarget> {
    if (typeof target === 'string') return { channelId: target, dm: this.#dmIds.has(target) };
    if ('channelId' in target)
      return { channelId: target.channelId, dm: target.dm ?? this.#dmIds.has(target.channelId) };
    const error = () => new AbortError('Discord DM channel lookup aborted');
    return { channelId: await this.#open(target.userId, [{ signal, error }]), dm: true };
  }

  /** The shared lookup takes no caller's signal: one caller aborting must not fail the others. */
  #open(userId: string, cancels: readonly AbortCancel[]): Promise<string> {
    const cached = this.#byUser.get(userId);
    if (cached !== undefined) return raceAbort(Promise.resolve(cached), cancels);
    const { flight } = this.#lookups.join(userId, () =>
      this.#rest
        .post(CREATE_DM_PATH, { body: { recipient_id: userId } })
        .then((channel) => {
          const id = (channel as { id: string }).id;
          this.#byUser.set(userId, id);
          this.#dmIds.add(id);
          return id;
        })
        .catch((error: unknown) => {
          throw toDiscordError(error, 'POST', CREATE_DM_PATH);
        }),
    );
    return this.#lookups.wait(flight, cancels);
  }
}
