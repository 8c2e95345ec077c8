/**
 * A crash-safe journal of messages being answered, shared by a bot's processes through Redis. A
 * process *accepts* a message before answering it (at most one process does: this is also the
 * cross-process de-duplication), holds a lease on it while it answers (renewed in the background)
 * and *completes* it at the end. When a process dies (SIGKILL, OOM, a lost machine) its leases
 * run out and a peer — or the process itself after a restart — takes the message over and answers
 * it again. A message older than `maxAgeMs` is handed over as `expired`: answer it with an apology
 * instead of a late answer.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  JOURNAL_DONE_TTL_MS,
  JOURNAL_LEASE_MS,
  JOURNAL_MAX_AGE_MS,
  JOURNAL_MAX_ATTEMPTS,
  JOURNAL_POLL_INTERVAL_MS,
  JOURNAL_TAKE_LIMIT,
  REDIS_KEY_PREFIX,
} from '../constants.ts';
import { type Clock, clockOption, systemClock, type TimerHandle } from '../internal/clock.ts';
import { EventHub, type EventLogTable } from '../internal/events.ts';
import { loggerOption, parseOptions } from '../internal/options.ts';
import { redisClientOption } from '../internal/redis.ts';
import type { LoggerLike } from '../logging/event.ts';
import { ACCEPT, COMPLETE, RENEW, TAKE_EXPIRED } from './journal-scripts.ts';
import type { RedisClientLike } from './redis-store-options.ts';

/** Options of {@link RedisReplyJournal}. */
export interface RedisReplyJournalOptions {
  /** Your ioredis client (`Redis` or `Cluster`); not closed by the journal. */
  redis: RedisClientLike;
  /** Prefix of the journal's keys; the bot's processes use the same. @default 'chatlane:' */
  keyPrefix?: string;
  /** An accepted message stays leased this long without a renewal. @default 10000 (JOURNAL_LEASE_MS) */
  leaseMs?: number;
  /** Leases are renewed and expired ones looked for this often (< leaseMs). @default 2000 */
  pollIntervalMs?: number;
  /** A message accepted longer ago is handed over as `expired` (apologise, don't answer). @default 120000 */
  maxAgeMs?: number;
  /** Tries of one message (the first and the takeovers) before it is given up. @default 3 */
  maxAttempts?: number;
  /** Completed ids are remembered this long: a replay is not accepted again. @default 600000 */
  doneTtlMs?: number;
  /** Timers of the renew / take-over loop. @default the real clock */
  clock?: Clock;
  /** Logs `recovered`, `abandoned` and `syncError`. @default none */
  logger?: LoggerLike;
}

/** Every default of {@link RedisReplyJournalOptions} that is a value (the real clock is `clock`'s). */
export const DEFAULT_REDIS_REPLY_JOURNAL_OPTIONS = Object.freeze({
  keyPrefix: REDIS_KEY_PREFIX,
  leaseMs: JOURNAL_LEASE_MS,
  pollIntervalMs: JOURNAL_POLL_INTERVAL_MS,
  maxAgeMs: JOURNAL_MAX_AGE_MS,
  maxAttempts: JOURNAL_MAX_ATTEMPTS,
  doneTtlMs: JOURNAL_DONE_TTL_MS,
} as const);

/** A message taken over from a process whose lease ran out. */
export interface JournalEntry<T> {
  id: string;
  payload: T;
  /** Redis time (epoch ms) when it was first accepted. */
  acceptedAt: number;
  /** Tries so far, this one included. */
  attempts: number;
  /** How long ago it was accepted, ms. */
  ageMs: number;
  /** Older than `maxAgeMs`: apologise instead of answering late. */
  expired: boolean;
}

/** Events of {@link RedisReplyJournal}. */
export interface RedisReplyJournalEvents {
  /** A message was taken over (its process died or stalled past its lease). */
  recovered: { id: string; attempts: number; ageMs: number; expired: boolean };
  /** A message failed `maxAttempts` times and was dropped. */
  abandoned: { id: string; attempts: number };
  /** A Redis call failed (the loop goes on; leases may lapse meanwhile). */
  syncError: { operation: string; error: Error };
}

/** Handles a taken-over message; resolving completes it, rejecting lets another try take it. */
export type JournalRecoveryHandler<T> = (
  entry: JournalEntry<T>,
  context: { signal: AbortSignal },
) => Promise<void>;

const LOG_TABLE: EventLogTable<RedisReplyJournalEvents> = {
  recovered: { level: 'warn', name: 'reply_recovered' },
  abandoned: { level: 'error', name: 'reply_abandoned' },
  syncError: { level: 'warn', name: 'reply_journal_error' },
};

const positiveMs = z.number().int().positive();
/** Validates {@link RedisReplyJournalOptions}. */
export const replyJournalOptionsSchema = z
  .strictObject({
    redis: redisClientOption,
    keyPrefix: z.string().default(REDIS_KEY_PREFIX),
    leaseMs: positiveMs.default(JOURNAL_LEASE_MS),
    pollIntervalMs: positiveMs.default(JOURNAL_POLL_INTERVAL_MS),
    maxAgeMs: positiveMs.default(JOURNAL_MAX_AGE_MS),
    maxAttempts: z.number().int().min(1).default(JOURNAL_MAX_ATTEMPTS),
    doneTtlMs: positiveMs.default(JOURNAL_DONE_TTL_MS),
    clock: clockOption(systemClock),
    logger: loggerOption,
  })
  .refine((options) => options.pollIntervalMs < options.leaseMs, {
    message: 'must be below leaseMs (leases are renewed every pollIntervalMs)',
    path: ['pollIntervalMs'],
  });

/** See the module comment. `T` is the message as the handler needs it (JSON-serialisable). */
export class RedisReplyJournal<T = unknown> {
  readonly #options: z.output<typeof replyJournalOptionsSchema>;
  readonly #redis: Redis;
  readonly #keys: { entries: string; leases: string; owners: string; done: string };
  readonly #owner = randomUUID();
  readonly #events: EventHub<RedisReplyJournalEvents>;
  /** Ids this process answers now: their leases are renewed. */
  readonly #held = new Set<string>();
  readonly #stopping = new AbortController();
  #handler: JournalRecoveryHandler<T> | undefined;
  #timer: TimerHandle | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: RedisReplyJournalOptions) {
    this.#options = parseOptions(replyJournalOptionsSchema, options, 'RedisReplyJournal options');
    this.#redis = this.#options.redis as unknown as Redis;
    const base = `${this.#options.keyPrefix}{journal}`;
    this.#keys = {
      entries: `${base}:entries`,
      leases: `${base}:leases`,
      owners: `${base}:owners`,
      done: `${base}:done`,
    };
    this.#events = new EventHub({ logger: this.#options.logger, table: LOG_TABLE });
    this.#schedule();
  }

  /** Listens to an event; returns the unsubscribe function. */
  on<K extends keyof RedisReplyJournalEvents>(
    event: K,
    listener: (payload: RedisReplyJournalEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Accepts message `id` for this process (true), or refuses it (false) when another process, or
   * an earlier delivery, has it in flight or completed it within `doneTtlMs`. An accepted message
   * is leased to this process until {@link complete}. Rejects when Redis fails.
   */
  async accept(id: string, payload: T): Promise<boolean> {
    const { entries, leases, owners, done } = this.#keys;
    const args = [id, JSON.stringify(payload), this.#options.leaseMs, this.#owner];
    const accepted = (await ACCEPT.run(this.#redis, [entries, leases, owners, done], args)) === 1;
    if (accepted) this.#held.add(id);
    return accepted;
  }

  /** The message is answered (or given up): forget it, and remember it as done. */
  async complete(id: string): Promise<void> {
    this.#held.delete(id);
    const { entries, leases, owners, done } = this.#keys;
    await COMPLETE.run(this.#redis, [entries, leases, owners, done], [id, this.#options.doneTtlMs]);
  }

  /**
   * Takes over, from now on, the messages whose process died: `handler` gets each (with
   * `expired` past `maxAgeMs`); its success completes the message.
   */
  recover(handler: JournalRecoveryHandler<T>): void {
    this.#handler = handler;
  }

  /** Stops the loop; leases of messages still held lapse, so a peer takes them over. */
  close(): Promise<void> {
    this.#closing ??= Promise.resolve().then(() => {
      this.#stopping.abort();
      this.#options.clock.clearTimeout(this.#timer);
      this.#handler = undefined;
      this.#events.clear();
    });
    return this.#closing;
  }

  /** `await using journal = new RedisReplyJournal(…)`: {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #schedule(): void {
    if (this.#stopping.signal.aborted) return;
    const run = () => void this.#tick().finally(() => this.#schedule());
    this.#timer = this.#options.clock.setTimeout(run, this.#options.pollIntervalMs, { background: true });
  }

  async #tick(): Promise<void> {
    await this.#renew();
    if (this.#handler && !this.#stopping.signal.aborted) await this.#takeOver(this.#handler);
  }

  async #renew(): Promise<void> {
    if (this.#held.size === 0) return;
    const { leases, owners } = this.#keys;
    await RENEW.run(this.#redis, [leases, owners], [this.#options.leaseMs, this.#owner, ...this.#held]).catch(
      (error: unknown) => this.#failed('renew', error),
    );
  }

  async #takeOver(handler: JournalRecoveryHandler<T>): Promise<void> {
    const { entries, leases, owners } = this.#keys;
    const args = [this.#options.leaseMs, this.#owner, JOURNAL_TAKE_LIMIT];
    let reply: unknown[];
    try {
      reply = (await TAKE_EXPIRED.run(this.#redis, [entries, leases, owners], args)) as unknown[];
    } catch (error) {
      this.#failed('take', error);
      return;
    }
    const now = Number(reply[0]);
    const taken: Array<Promise<void>> = [];
    for (let i = 1; i + 1 < reply.length; i += 2) {
      taken.push(this.#handle(handler, String(reply[i]), String(reply[i + 1]), now));
    }
    await Promise.all(taken);
  }

  async #handle(handler: JournalRecoveryHandler<T>, id: string, raw: string, now: number): Promise<void> {
    let entry: JournalEntry<T>;
    try {
      const stored = JSON.parse(raw) as { payload: string; acceptedAt: number; attempts: number };
      const ageMs = now - stored.acceptedAt;
      const payload = JSON.parse(stored.payload) as T;
      entry = {
        id,
        payload,
        acceptedAt: stored.acceptedAt,
        attempts: stored.attempts,
        ageMs,
        expired: ageMs > this.#options.maxAgeMs,
      };
    } catch (error) {
      this.#failed('parse', error);
      await this.complete(id).catch((completeError: unknown) => this.#failed('complete', completeError));
      return;
    }
    if (entry.attempts > this.#options.maxAttempts) {
      this.#events.emit('abandoned', { id, attempts: entry.attempts - 1 });
      await this.complete(id).catch((error: unknown) => this.#failed('complete', error));
      return;
    }
    this.#held.add(id);
    this.#events.emit('recovered', {
      id,
      attempts: entry.attempts,
      ageMs: entry.ageMs,
      expired: entry.expired,
    });
    try {
      await handler(entry, { signal: this.#stopping.signal });
    } catch {
      this.#held.delete(id); // not completed: its lease lapses and a later try takes it
      return;
    }
    await this.complete(id).catch((error: unknown) => this.#failed('complete', error));
  }

  #failed(operation: string, error: unknown): void {
    if (this.#stopping.signal.aborted) return;
    this.#events.emit('syncError', {
      operation,
      error: error instanceof Error ? error : new Error(String(error)),
    });
  }
}
