/**
 * A fake OpenRouter API: a real HTTP server on 127.0.0.1 (random port) speaking OpenRouter's
 * wire format (JSON completions, SSE streams with keep-alive comments, error objects in band and
 * out of band, `Retry-After`), scriptable per model, recording what it receives.
 *
 * @example
 * ```ts
 * const fake = await FakeOpenRouter.start({ defaultBehaviour: { ttftMs: 400, tokenIntervalMs: 30 } });
 * fake.script('primary', { status: 503 });                 // an outage, at the default pacing
 * fake.script('fallback', { failureRatio: 0.1, seed: 7 }); // 10 % injected 503s
 * const client = new OpenRouterClient({ apiKey: 'k', baseUrl: fake.baseUrl, models: ['primary', 'fallback'] });
 * // …
 * await client.close();
 * await fake.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BehaviourBook, type FakeBehaviour, type FakeRecordedRequest } from './fake-openrouter-behaviour.ts';
import { answer, type Pacer } from './fake-openrouter-handlers.ts';

/** Options of {@link FakeOpenRouter.start}. */
export interface FakeOpenRouterOptions {
  /** Behaviour of every model without a script. @default {} (immediate `Hello from <model>`) */
  defaultBehaviour?: FakeBehaviour;
  /** Keep received requests in `requests` (turn off for benchmarks). @default true */
  record?: boolean;
  /** Requests kept at most in `requests` (oldest dropped). @default 10000 */
  maxRecorded?: number;
  /**
   * The only API key accepted: a request without `Authorization: Bearer <apiKey>` gets
   * OpenRouter's 401 (`No auth credentials found` without a key, `User not found.` with
   * another one), recorded but not answered by any behaviour. @default undefined (any key)
   */
  apiKey?: string;
}

const DEFAULT_MAX_RECORDED = 10_000;
const PATH = '/api/v1/chat/completions';

/** The fake OpenRouter server. Create it with {@link FakeOpenRouter.start}. */
export class FakeOpenRouter {
  readonly #server: Server;
  readonly #book: BehaviourBook;
  readonly #record: boolean;
  readonly #maxRecorded: number;
  readonly #apiKey: string | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #sockets = new Set<Socket>();
  #closed = false;
  /** Received requests, oldest first (when `record` is on). */
  readonly requests: FakeRecordedRequest[] = [];
  /** Requests received in total (also counted when `record` is off). */
  requestCount = 0;
  /** TCP connections accepted so far: compare with `requestCount` to check keep-alive reuse. */
  connectionCount = 0;
  /** `http://127.0.0.1:PORT/api/v1` — pass as the client's `baseUrl`. */
  baseUrl = '';

  private constructor(options: FakeOpenRouterOptions) {
    this.#book = new BehaviourBook(options.defaultBehaviour ?? {});
    this.#record = options.record ?? true;
    this.#maxRecorded = options.maxRecorded ?? DEFAULT_MAX_RECORDED;
    this.#apiKey = options.apiKey;
    this.#server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      this.#handle(req, res);
    });
    this.#server.on('connection', (socket: Socket) => {
      this.connectionCount += 1;
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** Starts a fake on 127.0.0.1 with a random port. */
  static async start(options: FakeOpenRouterOptions = {}): Promise<FakeOpenRouter> {
    const fake = new FakeOpenRouter(options);
    await new Promise<void>((resolve, reject) => {
      fake.#server.once('error', reject);
      fake.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = fake.#server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}/api/v1`;
    return fake;
  }

  /**
   * Scripts `model`: one behaviour for every request, or a queue consumed one per request (the
   * last one repeats). An empty array removes the script. A pacing field the script leaves out
   * (`latencyMs`, `ttftMs`, `tokenIntervalMs`, `commentIntervalMs`) comes from the default
   * behaviour, so `script(model, { status: 503 })` fails at the model's usual latency; nothing
   * else is taken from the default.
   */
  script(model: string, behaviour: FakeBehaviour | FakeBehaviour[]): this {
    this.#book.script(model, behaviour);
    return this;
  }

  /** Sets the behaviour of every model without a script. */
  setDefault(behaviour: FakeBehaviour): this {
    this.#book.setDefault(behaviour);
    return this;
  }

  /** Forgets every script and recorded request, and zeroes the counters. */
  reset(): void {
    this.#book.clear();
    this.requests.length = 0;
    this.requestCount = 0;
    this.connectionCount = 0;
  }

  /** Requests received for `model`. */
  requestsFor(model: string): FakeRecordedRequest[] {
    return this.requests.filter((request) => request.model === model);
  }

  /** Stops the server: every open connection (stalled ones included) is destroyed, every timer cleared. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #pacer(res: ServerResponse): Pacer {
    return {
      wait: (ms) =>
        new Promise<boolean>((resolve) => {
          if (ms <= 0) {
            resolve(!res.destroyed && !this.#closed);
            return;
          }
          const timer = setTimeout(() => {
            this.#timers.delete(timer);
            resolve(!res.destroyed && !this.#closed);
          }, ms);
          this.#timers.add(timer);
        }),
      every: (ms, tick) => {
        const timer = setInterval(() => {
          if (res.destroyed || this.#closed) clearInterval(timer);
          else tick();
        }, ms);
        this.#timers.add(timer);
        res.on('close', () => clearInterval(timer));
      },
    };
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== PATH) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 404, message: `No route ${req.method} ${req.url}` } }));
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 400, message: 'Request body is not JSON' } }));
        return;
      }
      const request: FakeRecordedRequest = {
        model: typeof body.model === 'string' ? body.model : '',
        stream: body.stream === true,
        headers: req.headers,
        body,
      };
      this.#remember(request);
      if (this.#refusedKey(request, res)) return;
      const behaviour = this.#book.next(request.model);
      const pacer = this.#pacer(res);
      answer(behaviour, request, res, pacer).catch(() => res.destroy());
    });
  }

  /** Answers OpenRouter's 401 when an `apiKey` is set and the request does not carry it. */
  #refusedKey(request: FakeRecordedRequest, res: ServerResponse): boolean {
    if (this.#apiKey === undefined) return false;
    const header = request.headers.authorization;
    const key = typeof header === 'string' ? header.replace(/^Bearer\s+/i, '').trim() : '';
    if (key === this.#apiKey) return false;
    const message = key === '' ? 'No auth credentials found' : 'User not found.';
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 401, message } }));
    return true;
  }

  #remember(request: FakeRecordedRequest): void {
    this.requestCount += 1;
    if (!this.#record) return;
    this.requests.push(request);
    if (this.requests.length > this.#maxRecorded) this.requests.shift();
  }
}
