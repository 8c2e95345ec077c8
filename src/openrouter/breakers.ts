/**
 * The client's breakers, one per model, created on first use, and their link to the shared state
 * (when a `sharedState` is given): local opens and probe closes are reported to the peers, the
 * peers' are applied here.
 */
import type { EventHub } from '../internal/events.ts';
import { ModelBreaker } from './breaker.ts';
import type { OpenRouterEvents } from './events.ts';
import { linkBreakers, type RedisOpenRouterState, type SharedBreakerLink } from './shared-state.ts';
import type { StatsRecorder } from './stats.ts';

/** What the table needs from the client. */
export interface BreakerTableOptions {
  failureThreshold: number;
  cooldownMs: number;
  events: EventHub<OpenRouterEvents>;
  stats: StatsRecorder;
  /** Models the shared state should watch for this client (its ladder). */
  models: readonly string[];
  /** The client's API key (names its shared request bucket, hashed). */
  apiKey: string;
  sharedState: RedisOpenRouterState | undefined;
}

export class BreakerTable {
  readonly #breakers = new Map<string, ModelBreaker>();
  readonly #options: BreakerTableOptions;
  readonly #shared: SharedBreakerLink | undefined;

  constructor(options: BreakerTableOptions) {
    this.#options = options;
    const { sharedState } = options;
    this.#shared =
      sharedState &&
      linkBreakers(sharedState, {
        models: options.models,
        apiKey: options.apiKey,
        openFromPeer: (model) => this.get(model).openFromPeer(),
        closeFromPeer: (model) => this.get(model).closeFromPeer(),
      });
  }

  /** The breaker of `model` (created, and its stats entry, on first use). */
  get(model: string): ModelBreaker {
    let breaker = this.#breakers.get(model);
    if (breaker) return breaker;
    const { failureThreshold, cooldownMs, events } = this.#options;
    const shared = this.#shared;
    breaker = new ModelBreaker(model, failureThreshold, cooldownMs, {
      onOpen: (name, failures, cooldown, origin) => {
        events.emit('breakerOpen', { model: name, failures, cooldownMs: cooldown, origin });
        if (origin === 'local') shared?.reportOpen(name, cooldown);
      },
      onClose: (name, origin) => {
        events.emit('breakerClose', { model: name, origin });
        if (origin === 'local') shared?.reportClose(name);
      },
    });
    this.#breakers.set(model, breaker);
    this.#options.stats.model(model);
    return breaker;
  }

  /** Waits for the shared request bucket before each request (`requestsPerSecond`); undefined without one. */
  get requestGate(): ((signal: AbortSignal) => Promise<void>) | undefined {
    return this.#shared?.acquireRequest;
  }

  /** Takes a slot of the shared hedge budget (`hedgesPerSecond`) if free; undefined without one. */
  get hedgeBudget(): (() => Promise<boolean>) | undefined {
    return this.#shared?.tryHedge;
  }

  /** The breaker of `model` if it exists. */
  peek(model: string): ModelBreaker | undefined {
    return this.#breakers.get(model);
  }

  /** Detaches from the shared state and stops every breaker's timer. */
  shutdown(): void {
    this.#shared?.detach();
    for (const breaker of this.#breakers.values()) breaker.shutdown();
  }
}
