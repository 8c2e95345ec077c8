/**
 * OpenRouter state shared by every process of a bot through Redis (opt-in): a model's breaker
 * opened by one process is opened in the others within one pub/sub round trip, and the one probe
 * that closes it closes it everywhere.
 *
 * Each model has a cluster-wide generation (`INCR`), bumped by every open. An open is applied by a
 * process that has not seen its generation yet; a close only by processes in the same generation
 * (a probe of an older cycle cannot close a breaker that a peer reopened since). Locally a peer's
 * open starts a new generation of the local breaker, so calls in flight here cannot close it
 * either: the rule of `breaker.ts`, across processes. The open also leaves a key with the
 * cooldown as TTL, read on every (re)subscription, so a process that starts, or reconnects, while
 * a breaker is open skips the model too.
 *
 * Keys (hash tag: the model, so each script stays in one Redis Cluster slot):
 * `<prefix>or:breaker:{<model>}:generation` and `<prefix>or:breaker:{<model>}:open`; channel
 * `<prefix>or:breaker`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { REDIS_KEY_PREFIX } from '../constants.ts';
import { systemClock } from '../internal/clock.ts';
import { EventHub, type EventLogTable } from '../internal/events.ts';
import { loggerOption, parseOptions } from '../internal/options.ts';
import { ignoreConnectionError, redisClientOption, whenConnected } from '../internal/redis.ts';
import { RollingLimit } from '../internal/rolling-limit.ts';
import type { LoggerLike } from '../logging/event.ts';
import type { RedisClientLike } from '../session/redis-store-options.ts';
import { CLOSE, OPEN, parseMessage } from './shared-state-wire.ts';

/** Options of {@link RedisOpenRouterState}. */
export interface RedisOpenRouterStateOptions {
  /** Your ioredis client (`Redis` or `Cluster`) for commands; not closed by this object. */
  redis: RedisClientLike;
  /** A dedicated pub/sub connection; not closed. @default `redis.duplicate()`, disconnected by `close()` */
  subscriber?: RedisClientLike;
  /** Prefix of every key and of the channel; processes that share state use the same. @default 'chatlane:' */
  keyPrefix?: string;
  /** Logs `syncError` at warn (`openrouter_shared_state_error`). @default none */
  logger?: LoggerLike;
  /**
   * A request bucket per API key shared by every process: at most this many requests (attempts)
   * in any rolling second, all processes together — your key's rate limit, held before OpenRouter
   * answers 429. @default none (no bucket)
   */
  requestsPerSecond?: number;
  /**
   * A hedge budget per API key shared by every process: at most this many hedged attempts in any
   * rolling second, all processes together; a call past it waits for its primary (no hedge).
   * @default none (hedges unlimited, as configured per client)
   */
  hedgesPerSecond?: number;
}

/** Every value default of {@link RedisOpenRouterStateOptions}. */
export const DEFAULT_REDIS_OPENROUTER_STATE_OPTIONS = Object.freeze({ keyPrefix: REDIS_KEY_PREFIX } as const);

/** Events of {@link RedisOpenRouterState}. */
export interface RedisOpenRouterStateEvents {
  /** A Redis call failed: the process goes on with its own breakers until Redis answers again. */
  syncError: { operation: string; error: Error };
}

const MS_PER_SECOND = 1_000;
/** Hex characters of the API key's SHA-256 that name its request bucket. */
const API_KEY_HASH_CHARS = 16;

const LOG_TABLE: EventLogTable<RedisOpenRouterStateEvents> = {
  syncError: { level: 'warn', name: 'openrouter_shared_state_error' },
};

/** Validates {@link RedisOpenRouterStateOptions}. */
export const sharedStateOptionsSchema = z.strictObject({
  redis: redisClientOption,
  subscriber: redisClientOption.optional(),
  keyPrefix: z.string().default(REDIS_KEY_PREFIX),
  logger: loggerOption,
  requestsPerSecond: z.number().int().positive().optional(),
  hedgesPerSecond: z.number().int().positive().optional(),
});

/** What a client gives the shared state: its models, and how to apply a peer's change. */
export interface SharedBreakerTarget {
  readonly models: readonly string[];
  /** The client's API key (only its hash names the request bucket). */
  readonly apiKey: string;
  openFromPeer(model: string): void;
  closeFromPeer(model: string): void;
}

/** What the client gets back: how to report its own changes, and how to leave. */
export interface SharedBreakerLink {
  /** This process opened `model`'s breaker: tell the others. */
  reportOpen(model: string, cooldownMs: number): void;
  /** This process's probe closed `model`'s breaker: close it everywhere, in this generation. */
  reportClose(model: string): void;
  /** Waits for a slot of the key's shared request bucket (`requestsPerSecond`); undefined without one. */
  acquireRequest: ((signal: AbortSignal) => Promise<void>) | undefined;
  /** Takes a slot of the key's shared hedge budget (`hedgesPerSecond`) if free; undefined without one. */
  tryHedge: (() => Promise<boolean>) | undefined;
  detach(): void;
}

let linkTarget: (state: RedisOpenRouterState, target: SharedBreakerTarget) => SharedBreakerLink;

/** Joins a client's breakers to the shared state (internal: not part of the public class). */
export function linkBreakers(state: RedisOpenRouterState, target: SharedBreakerTarget): SharedBreakerLink {
  return linkTarget(state, target);
}

/**
 * Shares the OpenRouter clients' breakers across processes through Redis. Pass one to each
 * process's `OpenRouterClient` (`sharedState`); close it after the clients.
 *
 * @example
 * ```ts
 * const shared = new RedisOpenRouterState({ redis: new Redis(process.env.REDIS_URL) });
 * const client = new OpenRouterClient({ apiKey, models, sharedState: shared });
 * ```
 */
export class RedisOpenRouterState {
  readonly #options: z.output<typeof sharedStateOptionsSchema>;
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #ownsSubscriber: boolean;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #origin = randomUUID();
  readonly #events: EventHub<RedisOpenRouterStateEvents>;
  readonly #targets = new Set<SharedBreakerTarget>();
  /** The cluster-wide generation this process is in, per model. */
  readonly #seen = new Map<string, number>();
  readonly #ready: Promise<void>;
  #closing: Promise<void> | undefined;

  constructor(options: RedisOpenRouterStateOptions) {
    const resolved = parseOptions(sharedStateOptionsSchema, options, 'RedisOpenRouterState options');
    this.#options = resolved;
    this.#redis = resolved.redis as unknown as Redis;
    this.#ownsSubscriber = resolved.subscriber === undefined;
    this.#subscriber = (resolved.subscriber as unknown as Redis | undefined) ?? this.#redis.duplicate();
    this.#prefix = `${resolved.keyPrefix}or:breaker`;
    this.#channel = this.#prefix;
    this.#events = new EventHub({ logger: resolved.logger, table: LOG_TABLE });
    this.#subscriber.on('message', this.#onMessage);
    this.#subscriber.on('ready', this.#onReady);
    if (this.#ownsSubscriber) this.#subscriber.on('error', ignoreConnectionError);
    // Subscribing once connected also works for a client with `enableOfflineQueue: false`.
    this.#ready = whenConnected(this.#subscriber).then(async () => {
      await this.#subscriber.subscribe(this.#channel);
    });
    this.#ready.catch((error: unknown) => this.#failed('subscribe', error));
  }

  /** Resolves once subscribed and the breakers open elsewhere are known. */
  async ready(): Promise<void> {
    await this.#ready;
    await this.#catchUp();
  }

  /** Listens to an event; returns the unsubscribe function. */
  on<K extends keyof RedisOpenRouterStateEvents>(
    event: K,
    listener: (payload: RedisOpenRouterStateEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  static {
    linkTarget = (state, target) => state.#link(target);
  }

  #link(target: SharedBreakerTarget): SharedBreakerLink {
    this.#targets.add(target);
    void this.#ready.then(() => this.#catchUp(target.models)).catch(() => {});
    const bucket = this.#bucket(target.apiKey, 'requests', this.#options.requestsPerSecond);
    const hedges = this.#bucket(target.apiKey, 'hedges', this.#options.hedgesPerSecond);
    return {
      reportOpen: (model, cooldownMs) => this.#reportOpen(model, cooldownMs),
      reportClose: (model) => this.#reportClose(model),
      acquireRequest: bucket && ((signal) => bucket.acquire(signal)),
      tryHedge: hedges && (() => hedges.tryAcquire()),
      detach: () => this.#targets.delete(target),
    };
  }

  #reportOpen(model: string, cooldownMs: number): void {
    const keys = this.#keys(model);
    OPEN.run(this.#redis, keys, [cooldownMs, this.#channel, this.#origin, model])
      .then((generation: unknown) => this.#advance(model, Number(generation)))
      .catch((error: unknown) => this.#failed('open', error));
  }

  #reportClose(model: string): void {
    const generation = this.#seen.get(model) ?? 0;
    CLOSE.run(this.#redis, this.#keys(model), [this.#channel, this.#origin, model, generation]).catch(
      (error: unknown) => this.#failed('close', error),
    );
  }

  /** Unsubscribes (disconnects its own subscriber); the clients keep their local breakers. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /** `await using shared = new RedisOpenRouterState(…)`: {@link RedisOpenRouterState.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #shutdown(): Promise<void> {
    this.#subscriber.off('message', this.#onMessage);
    this.#subscriber.off('ready', this.#onReady);
    this.#targets.clear();
    if (this.#ownsSubscriber) this.#subscriber.disconnect();
    else await this.#subscriber.unsubscribe(this.#channel).catch(() => {});
    await this.#ready.catch(() => {});
    this.#events.clear();
  }

  /** The request bucket of `apiKey` (named by a hash: the key never reaches Redis), if configured. */
  #bucket(
    apiKey: string,
    kind: 'requests' | 'hedges',
    perSecond: number | undefined,
  ): RollingLimit | undefined {
    if (perSecond === undefined) return undefined;
    const hash = createHash('sha256').update(apiKey).digest('hex').slice(0, API_KEY_HASH_CHARS);
    const key = `${this.#options.keyPrefix}or:${kind}:{${hash}}`;
    return new RollingLimit({
      limit: perSecond,
      windowMs: MS_PER_SECOND,
      clock: systemClock,
      redis: this.#redis,
      key,
    });
  }

  #keys(model: string): [string, string] {
    return [`${this.#prefix}:{${model}}:generation`, `${this.#prefix}:{${model}}:open`];
  }

  /** Records `generation` for `model`; true when it is newer than what this process had. */
  #advance(model: string, generation: number): boolean {
    if (generation <= (this.#seen.get(model) ?? 0)) return false;
    this.#seen.set(model, generation);
    return true;
  }

  readonly #onMessage = (channel: string, text: string): void => {
    if (channel !== this.#channel) return;
    const message = parseMessage(text);
    if (!message || message.origin === this.#origin) return;
    this.#apply(message.kind, message.model, message.generation);
  };

  #apply(kind: 'open' | 'close', model: string, generation: number): void {
    if (kind === 'open') {
      if (!this.#advance(model, generation)) return;
      for (const target of this.#targets) if (target.models.includes(model)) target.openFromPeer(model);
      return;
    }
    if (generation !== this.#seen.get(model)) return; // a probe of an older cycle
    for (const target of this.#targets) if (target.models.includes(model)) target.closeFromPeer(model);
  }

  /** After a (re)subscription, messages may have been missed: read the breakers open now. */
  readonly #onReady = (): void => {
    void this.#catchUp().catch(() => {});
  };

  async #catchUp(models?: readonly string[]): Promise<void> {
    const wanted = models ?? [...new Set([...this.#targets].flatMap((target) => target.models))];
    await Promise.all(
      wanted.map(async (model) => {
        try {
          const open = await this.#redis.get(this.#keys(model)[1]);
          if (open !== null) this.#apply('open', model, Number(open));
        } catch (error) {
          this.#failed('read', error);
        }
      }),
    );
  }

  #failed(operation: string, error: unknown): void {
    if (this.#closing) return;
    this.#events.emit('syncError', {
      operation,
      error: error instanceof Error ? error : new Error(String(error)),
    });
  }
}
