/** Request recording and waiting for {@link FakeDiscord}: every REST request, in arrival order. */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { flatHeaders, readBody } from './fake-discord-http.ts';
import { bucketOf } from './fake-discord-limits.ts';
import type { FakeDiscordRequest } from './fake-discord-types.ts';
import { waitUntil } from './fake-discord-wait.ts';

/** Reads an incoming REST request into its record (status 0: not answered yet). */
export async function readRequest(req: IncomingMessage): Promise<FakeDiscordRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.replace(/^\/api\/v\d+/, '');
  const { body, files } = await readBody(req);
  return {
    method,
    path,
    route: bucketOf(method, path).route,
    body,
    files,
    headers: flatHeaders(req),
    status: 0,
    at: performance.timeOrigin + performance.now(),
  };
}

/** The recorded requests plus the `request` (answered) and `closed` notifications tests wait on. */
export class FakeDiscordRequestLog {
  readonly #requests: FakeDiscordRequest[] = [];
  readonly #events = new EventEmitter();

  constructor() {
    this.#events.setMaxListeners(0);
  }

  /** Every request recorded so far, in arrival order. */
  get all(): readonly FakeDiscordRequest[] {
    return this.#requests;
  }

  /** Records a request on arrival. */
  add(request: FakeDiscordRequest): void {
    this.#requests.push(request);
  }

  /** Notifies listeners and waiters that `request` was answered. */
  answered(request: FakeDiscordRequest): void {
    this.#events.emit('request', request);
  }

  /** Forgets the recorded requests. */
  clear(): void {
    this.#requests.length = 0;
  }

  /** Listens to every answered request; returns an unsubscribe function. */
  onRequest(listener: (request: FakeDiscordRequest) => void): () => void {
    this.#events.on('request', listener);
    return () => this.#events.off('request', listener);
  }

  /** Resolves with the first answered request (already recorded or future) matching `predicate`. */
  waitFor(predicate: (request: FakeDiscordRequest) => boolean): Promise<FakeDiscordRequest> {
    const found = this.#requests.find((request) => request.status !== 0 && predicate(request));
    if (found) return Promise.resolve(found);
    const match = (request: FakeDiscordRequest) => (predicate(request) ? request : undefined);
    return waitUntil(this.#events, 'request', match, 'a request');
  }

  /** Listens for the fake closing; returns an unsubscribe function. */
  onClosed(listener: () => void): () => void {
    this.#events.on('closed', listener);
    return () => this.#events.off('closed', listener);
  }

  /** Rejects every pending wait (the fake is closing). */
  closing(): void {
    this.#events.emit('closed');
  }

  /** Drops every listener (the fake is closed). */
  dispose(): void {
    this.#events.removeAllListeners();
  }
}
