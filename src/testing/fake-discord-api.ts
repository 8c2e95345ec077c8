/**
 * The fake Discord's REST side: reads a request, waits the scripted latency, answers it (scripted
 * 429s and errors, Discord's global limit per token, route buckets, then the route) and records
 * it. Counts what Discord counts against a bot: global-limit violations and invalid requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  FAKE_DISCORD_BUCKET_LIMIT,
  FAKE_DISCORD_BUCKET_WINDOW_MS,
  FAKE_DISCORD_GLOBAL_LIMIT,
  FAKE_DISCORD_GLOBAL_WINDOW_MS,
} from './constants.ts';
import { answerRequest, respond } from './fake-discord-http.ts';
import { FakeBuckets, FakeGlobalLimit, type Scripted429, type ScriptedError } from './fake-discord-limits.ts';
import { type FakeDiscordRequestLog, readRequest } from './fake-discord-requests.ts';
import type { RestContext } from './fake-discord-rest.ts';
import type { FakeDiscordOptions, FakeDiscordRequest } from './fake-discord-types.ts';

/** Statuses Discord counts toward its invalid-request limit (10,000 per 10 minutes per IP). */
const INVALID_STATUSES: ReadonlySet<number> = new Set([401, 403, 429]);

export class FakeDiscordApi {
  readonly scripted429: Scripted429[] = [];
  readonly scriptedErrors: ScriptedError[] = [];
  /** Answers with status 401, 403 or 429 (Discord's invalid requests). */
  invalidRequests = 0;
  readonly #buckets: FakeBuckets;
  readonly #global: FakeGlobalLimit | undefined;
  readonly #token: string | undefined;
  readonly #log: FakeDiscordRequestLog;
  readonly #rest: RestContext;
  readonly #closing = new AbortController();
  #latency: FakeDiscordOptions['latencyMs'];

  constructor(options: FakeDiscordOptions, log: FakeDiscordRequestLog, rest: RestContext) {
    this.#token = options.token;
    this.#log = log;
    this.#rest = rest;
    this.#latency = options.latencyMs;
    this.#buckets = new FakeBuckets(
      options.bucketLimit ?? FAKE_DISCORD_BUCKET_LIMIT,
      options.bucketWindowMs ?? FAKE_DISCORD_BUCKET_WINDOW_MS,
    );
    const globalLimit = options.globalLimit ?? FAKE_DISCORD_GLOBAL_LIMIT;
    this.#global =
      globalLimit === false ? undefined : new FakeGlobalLimit(globalLimit, FAKE_DISCORD_GLOBAL_WINDOW_MS);
  }

  /** Requests answered with a global 429 because their token exceeded the global limit. */
  get globalViolations(): number {
    return this.#global?.violations ?? 0;
  }

  setLatency(latencyMs: FakeDiscordOptions['latencyMs']): void {
    this.#latency = latencyMs;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req).catch(() => undefined);
    if (request === undefined) {
      res.destroy(); // the client hung up mid-body: nothing to answer
      return;
    }
    this.#log.add(request);
    let gone = false;
    res.once('close', () => {
      gone = !res.writableEnded;
    });
    try {
      await this.#delay(request);
      if (gone) return; // the client hung up during the latency: the request never reached "Discord"
      const { answer, headers } = answerRequest(request, {
        token: this.#token,
        scripted429: this.scripted429,
        scriptedErrors: this.scriptedErrors,
        buckets: this.#buckets,
        globalLimit: this.#global,
        rest: this.#rest,
      });
      respond(res, answer, headers);
      request.status = answer.status;
      if (INVALID_STATUSES.has(answer.status)) this.invalidRequests += 1;
      this.#log.answered(request);
    } catch {
      res.destroy();
    }
  }

  /** Cancels pending latency waits. */
  close(): void {
    this.#closing.abort();
  }

  async #delay(request: FakeDiscordRequest): Promise<void> {
    const latency = typeof this.#latency === 'function' ? this.#latency(request) : (this.#latency ?? 0);
    if (latency > 0) await sleep(latency, undefined, { signal: this.#closing.signal });
  }
}
