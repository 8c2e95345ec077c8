/**
 * A small, bounded pool of worker threads that parse large templates off the main thread.
 *
 * The worker's code is built from `parseTemplate.toString()` and started with `eval: true`, so
 * there is no separate worker file: it works the same from `src/` (type-stripped TS), from the
 * ESM bundle and from the CJS bundle. Workers start lazily, are `unref`'d while idle (an idle pool
 * never keeps the process alive) and are terminated by `close()`.
 */
import { Worker } from 'node:worker_threads';
import { AbortError, ClosedError } from '../errors.ts';
import { TemplateWorkerError } from './errors.ts';
import { type ParseResult, parseTemplate } from './parse.ts';

interface Job {
  id: number;
  source: string;
  resolve: (result: ParseResult) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

let workerSource: string | undefined;

/** The worker's script: the parser and a message loop (`__name` covers bundlers' keepNames helper). */
function getWorkerSource(): string {
  workerSource ??= [
    'const __name = (target) => target;',
    "const { parentPort } = require('node:worker_threads');",
    `const parse = ${parseTemplate.toString()};`,
    'parentPort.on("message", (job) => {',
    '  let result;',
    '  try { result = parse(job.source); }',
    '  catch (error) { result = { ok: false, message: String(error && error.message), offset: 0 }; }',
    '  parentPort.postMessage({ id: job.id, json: JSON.stringify(result) });',
    '});',
  ].join('\n');
  return workerSource;
}

/** Bounded worker pool for `parseTemplate`. */
export class ParseWorkerPool {
  readonly #size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 0;
  #closed = false;

  constructor(size: number) {
    this.#size = size;
  }

  /** Workers currently started. */
  get workers(): number {
    return this.#slots.length;
  }

  /** Parses `source` on a worker; rejects with `AbortError` if `signal` aborts first. */
  parse(source: string, signal?: AbortSignal): Promise<ParseResult> {
    if (this.#closed) return Promise.reject(new ClosedError('TemplateCache worker pool'));
    if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
    return new Promise<ParseResult>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, source, resolve, reject, signal, onAbort: () => {} };
      job.onAbort = () => this.#abort(job);
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  /** Terminates every worker and rejects queued and running jobs with `ClosedError`. */
  async close(): Promise<void> {
    this.#closed = true;
    const error = new ClosedError('TemplateCache worker pool');
    for (const job of this.#queue.splice(0)) this.#settle(job, error);
    const slots = this.#slots.splice(0);
    for (const slot of slots) if (slot.job) this.#settle(slot.job, error);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((s) => s.job === undefined) ?? this.#spawn();
      if (!slot) return;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, source: job.source });
    }
  }

  #spawn(): Slot | undefined {
    if (this.#slots.length >= this.#size) return undefined;
    const worker = new Worker(getWorkerSource(), { eval: true });
    const slot: Slot = { worker, job: undefined };
    worker.on('message', (message: { id: number; json: string }) => this.#finish(slot, message));
    worker.on('error', (error) => this.#crash(slot, error));
    worker.on('exit', (code) => this.#crash(slot, new Error(`worker exited with code ${code}`)));
    this.#slots.push(slot);
    return slot;
  }

  #finish(slot: Slot, message: { id: number; json: string }): void {
    const job = slot.job;
    slot.job = undefined;
    slot.worker.unref();
    // JSON.parse of one string costs the main thread about half of a structured-clone of the tree.
    if (job && job.id === message.id) this.#settle(job, undefined, JSON.parse(message.json) as ParseResult);
    this.#dispatch();
  }

  #crash(slot: Slot, cause: unknown): void {
    const index = this.#slots.indexOf(slot);
    if (index === -1) return;
    this.#slots.splice(index, 1);
    if (slot.job) this.#settle(slot.job, new TemplateWorkerError('A template compile worker failed', cause));
    if (!this.#closed) this.#dispatch();
  }

  #abort(job: Job): void {
    const queued = this.#queue.indexOf(job);
    if (queued !== -1) this.#queue.splice(queued, 1);
    // A running job cannot be interrupted; its result is dropped when it arrives.
    this.#settle(job, new AbortError(undefined, { cause: job.signal?.reason }));
  }

  #settle(job: Job, error: unknown, result?: ParseResult): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    if (error === undefined && result) job.resolve(result);
    else job.reject(error);
  }
}
