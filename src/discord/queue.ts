import { AbortError } from '../errors.ts';
import type { Clock, TimerHandle } from '../internal/clock.ts';
import { DiscordQueueFullError } from './errors.ts';

/** Send priority: DMs default to `'high'`, guild channels to `'normal'`. */
export type SendPriority = 'high' | 'normal' | 'low';

const PRIORITY_RANK: Record<SendPriority, number> = { high: 0, normal: 1, low: 2 };

/** One unit of queued work: usually one REST call (or one multi-part send). */
export interface QueueJob<T> {
  channelId: string;
  priority: SendPriority;
  /** Ordered jobs of a channel run one at a time, in arrival order (message creates). */
  ordered: boolean;
  run: (signal: AbortSignal) => Promise<T>;
  signal?: AbortSignal | undefined;
}

interface Entry {
  seq: number;
  rank: number;
  job: QueueJob<unknown>;
  enqueuedAt: number;
  controller: AbortController;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  detach: () => void;
}

interface Lane {
  inFlight: number;
  orderedRunning: boolean;
  orderedWaiting: number[];
}

/** Limits of a {@link SendQueue}. */
export interface SendQueueLimits {
  maxQueue: number;
  maxInFlight: number;
  maxInFlightPerChannel: number;
  clock: Clock;
  /** Milliseconds a channel must still wait (rate-limit reset + jitter); 0 when free. */
  holdFor: (channelId: string) => number;
  /** Called with each job's time in the queue when it starts. */
  onStart?: (waitedMs: number) => void;
}

/**
 * A bounded priority queue in front of discord.js's REST: high before normal before low, FIFO
 * within a priority; a channel's ordered jobs run one at a time in arrival order; at most
 * `maxInFlight` calls in flight overall and `maxInFlightPerChannel` per channel; a channel held
 * by a rate limit waits until its reset plus jitter. A full queue rejects (never drops).
 */
export class SendQueue {
  readonly #limits: SendQueueLimits;
  readonly #pending: Entry[] = [];
  readonly #lanes = new Map<string, Lane>();
  #inFlight = 0;
  #seq = 0;
  #wake: TimerHandle | undefined;
  #closedWith: Error | undefined;

  constructor(limits: SendQueueLimits) {
    this.#limits = limits;
  }

  /** Jobs waiting to start. */
  get depth(): number {
    return this.#pending.length;
  }

  /** Jobs running. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Queues `job`; resolves with its result. Rejects at once when full or closed. */
  push<T>(job: QueueJob<T>): Promise<T> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    if (this.#pending.length >= this.#limits.maxQueue) {
      return Promise.reject(new DiscordQueueFullError(this.#limits.maxQueue));
    }
    if (job.signal?.aborted)
      return Promise.reject(new AbortError('Discord send aborted before it was queued'));
    return new Promise<T>((resolve, reject) => {
      const entry = this.#createEntry(job as QueueJob<unknown>, resolve as (value: unknown) => void, reject);
      this.#insert(entry);
      if (job.ordered) this.#lane(job.channelId).orderedWaiting.push(entry.seq);
      this.#dispatch();
    });
  }

  #createEntry(
    job: QueueJob<unknown>,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ): Entry {
    const controller = new AbortController();
    const onAbort = () => {
      controller.abort();
      if (this.#remove(entry)) reject(new AbortError('Discord send aborted while queued'));
    };
    job.signal?.addEventListener('abort', onAbort, { once: true });
    const entry: Entry = {
      seq: this.#seq++,
      rank: PRIORITY_RANK[job.priority],
      job,
      enqueuedAt: this.#limits.clock.now(),
      controller,
      resolve,
      reject,
      detach: () => job.signal?.removeEventListener('abort', onAbort),
    };
    return entry;
  }

  #insert(entry: Entry): void {
    let index = this.#pending.length;
    while (index > 0 && (this.#pending[index - 1] as Entry).rank > entry.rank) index -= 1;
    this.#pending.splice(index, 0, entry);
  }

  #remove(entry: Entry): boolean {
    const index = this.#pending.indexOf(entry);
    if (index === -1) return false;
    this.#pending.splice(index, 1);
    if (entry.job.ordered) {
      const lane = this.#lane(entry.job.channelId);
      lane.orderedWaiting = lane.orderedWaiting.filter((seq) => seq !== entry.seq);
    }
    entry.detach();
    this.#dispatch();
    return true;
  }

  #lane(channelId: string): Lane {
    let lane = this.#lanes.get(channelId);
    if (!lane) {
      lane = { inFlight: 0, orderedRunning: false, orderedWaiting: [] };
      this.#lanes.set(channelId, lane);
    }
    return lane;
  }

  #canStart(entry: Entry, lane: Lane): boolean {
    if (lane.inFlight >= this.#limits.maxInFlightPerChannel) return false;
    if (!entry.job.ordered) return true;
    return !lane.orderedRunning && lane.orderedWaiting[0] === entry.seq;
  }

  #dispatch(): void {
    let soonestHold = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#pending.length && this.#inFlight < this.#limits.maxInFlight; ) {
      const entry = this.#pending[i] as Entry;
      const lane = this.#lane(entry.job.channelId);
      const hold = this.#limits.holdFor(entry.job.channelId);
      if (hold > 0) soonestHold = Math.min(soonestHold, hold);
      if (hold > 0 || !this.#canStart(entry, lane)) {
        i += 1;
        continue;
      }
      this.#pending.splice(i, 1);
      this.#start(entry, lane);
    }
    if (soonestHold !== Number.POSITIVE_INFINITY) this.#scheduleWake(soonestHold);
  }

  #scheduleWake(ms: number): void {
    if (this.#wake !== undefined) this.#limits.clock.clearTimeout(this.#wake);
    this.#wake = this.#limits.clock.setTimeout(() => {
      this.#wake = undefined;
      this.#dispatch();
    }, ms);
  }

  #start(entry: Entry, lane: Lane): void {
    this.#inFlight += 1;
    lane.inFlight += 1;
    if (entry.job.ordered) {
      lane.orderedWaiting.shift();
      lane.orderedRunning = true;
    }
    this.#limits.onStart?.(this.#limits.clock.now() - entry.enqueuedAt);
    entry.job
      .run(entry.controller.signal)
      .then(entry.resolve, entry.reject)
      .finally(() => {
        entry.detach();
        this.#inFlight -= 1;
        lane.inFlight -= 1;
        if (entry.job.ordered) lane.orderedRunning = false;
        if (lane.inFlight === 0 && lane.orderedWaiting.length === 0) this.#lanes.delete(entry.job.channelId);
        this.#dispatch();
      });
  }

  /** Rejects every waiting job with `error` and refuses new ones; running jobs finish. */
  close(error: Error): void {
    this.#closedWith = error;
    if (this.#wake !== undefined) this.#limits.clock.clearTimeout(this.#wake);
    this.#wake = undefined;
    const waiting = this.#pending.splice(0);
    this.#lanes.clear();
    for (const entry of waiting) {
      entry.detach();
      entry.reject(error);
    }
  }
}
