import { type PercentileSummary, RollingWindow } from '../internal/samples.ts';

/** Counters and percentiles of a `DiscordSender`, from `getStats()`. */
export interface DiscordSenderStats {
  /** `send()` calls that delivered. */
  sends: number;
  /** Messages created (parts of sends and streams). */
  messages: number;
  /** Message edits (streaming). */
  edits: number;
  /** Sends/streams that needed more than one message. */
  splits: number;
  /** Sends that skipped split processing (plain text under `simpleTextChars`). */
  simpleSends: number;
  /** `stream()` calls finished (with or without error). */
  streams: number;
  /** Queued edits dropped because a newer edit superseded them. */
  staleEditsDropped: number;
  /** Failed sends/streams (typed errors thrown or reported). */
  failures: number;
  /** Typing indicators sent, and typing calls that failed (never failing the reply). */
  typing: { sent: number; failed: number };
  /** 429 answers seen on the REST instance. */
  rateLimited: number;
  /** Times a channel (or everything, for a global limit) was held until reset + jitter. */
  rateLimitHolds: number;
  /** 401/403/429 answers in the current 10-minute window, and Discord's limit for it. */
  invalidRequests: number;
  invalidRequestLimit: number;
  /** Work waiting in the queue now, and REST calls in flight now. */
  queueDepth: number;
  inFlight: number;
  /** Time work waited in the queue before starting (ms), p50/p95/p99; `undefined` before any. */
  queueWaitMs: PercentileSummary | undefined;
  /** Duration of one message create from queue start to Discord's answer (ms), p50/p95/p99; `undefined` before any. */
  sendLatencyMs: PercentileSummary | undefined;
}

type Counter = Exclude<
  keyof DiscordSenderStats,
  | 'typing'
  | 'queueWaitMs'
  | 'sendLatencyMs'
  | 'rateLimited'
  | 'rateLimitHolds'
  | 'invalidRequests'
  | 'invalidRequestLimit'
  | 'queueDepth'
  | 'inFlight'
>;

/** Mutable counters and sample windows behind `getStats()`. */
export class SenderStats {
  readonly counters: Record<Counter, number> = {
    sends: 0,
    messages: 0,
    edits: 0,
    splits: 0,
    simpleSends: 0,
    streams: 0,
    staleEditsDropped: 0,
    failures: 0,
  };
  readonly typing = { sent: 0, failed: 0 };
  readonly queueWait: RollingWindow;
  readonly sendLatency: RollingWindow;

  constructor(window: number) {
    this.queueWait = new RollingWindow(window);
    this.sendLatency = new RollingWindow(window);
  }

  add(counter: Counter, by = 1): void {
    this.counters[counter] += by;
  }
}
