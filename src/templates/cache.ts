import { createHash } from 'node:crypto';
import QuickLRU from 'quick-lru';
import { TEMPLATE_STATS_WINDOW } from '../constants.ts';
import { AbortError, ClosedError, InvalidOptionsError } from '../errors.ts';
import { EventHub, type EventLogTable } from '../internal/events.ts';
import { parseOptions } from '../internal/options.ts';
import { type PercentileSummary, RollingWindow } from '../internal/samples.ts';
import { SingleFlight } from '../internal/single-flight.ts';
import { compileNodes, type TemplateRuntime } from './compile.ts';
import { positionOf, TemplateSyntaxError } from './errors.ts';
import { SectionMemo } from './memo.ts';
import { type CompileOptions, type TemplateCacheOptions, templateCacheOptionsSchema } from './options.ts';
import { type ParseResult, parseTemplate } from './parse.ts';
import { CompiledTemplate, type RenderCounters } from './template.ts';
import { ParseWorkerPool } from './worker-pool.ts';

/** Counters and timings of a {@link TemplateCache}. */
export interface TemplateCacheStats {
  /** `compile()` calls answered from the cache, plus `get()` calls that found a template. */
  hits: number;
  /** `compile()` calls that had to compile (new id, changed source, or expired). */
  misses: number;
  /** `hits / (hits + misses)`, 0 before any lookup. */
  hitRate: number;
  /** Templates compiled. */
  compiles: number;
  /** Compiles sent to a worker thread. */
  workerCompiles: number;
  /** Compile time percentiles in milliseconds (parse + build), `undefined` before any compile. */
  compileMs: PercentileSummary | undefined;
  /** Memoized section renders reused. */
  memoHits: number;
  /** Memoized section renders computed. */
  memoMisses: number;
  /** Section renders memoized now (at most `memoMaxEntries`). */
  memoEntries: number;
  /** Bytes they hold, key and text as UTF-16 length × 2 (at most `memoMaxBytes`). */
  memoBytes: number;
  /** Renders of templates of this cache. */
  renders: number;
  /** Bytes returned by `renderParts()` as static prefix. */
  staticBytes: number;
  /** Bytes returned by `renderParts()` as dynamic text. */
  dynamicBytes: number;
  /** Templates cached now (expired ones included until touched or evicted). */
  entries: number;
}

/** Events of a {@link TemplateCache}: one `compile` per template actually compiled. */
export interface TemplateCacheEvents {
  compile: { id: string; ms: number; worker: boolean; sourceChars: number };
}

/** The events the cache logs through its `logger` option. */
const TEMPLATE_LOG_TABLE: EventLogTable<TemplateCacheEvents> = {
  compile: { level: 'debug', name: 'template_compiled' },
};

interface Entry {
  template: CompiledTemplate;
  /** The exact source compiled: an identical string is a hit without hashing. */
  source: string;
  hoist: boolean;
  expiresAt: number;
  /** Order in which its compile started: an older compile finishing later does not replace it. */
  sequence: number;
}

function hashSource(source: string, hoist: boolean): string {
  return `${createHash('sha1').update(source).digest('base64url')}${hoist ? ':h' : ''}`;
}

/**
 * Compiles prompt templates once and keeps them (TTL + LRU). Re-compiling the same id with the
 * same source is a cache hit; a changed source recompiles. Large sources parse on worker threads.
 */
export class TemplateCache {
  readonly #options: Required<Omit<TemplateCacheOptions, 'logger'>>;
  readonly #entries: QuickLRU<string, Entry>;
  /** In-flight compiles shared by their waiters; one is cancelled only when every waiter aborted. */
  readonly #pending = new SingleFlight<CompiledTemplate>({ cancelWhenAbandoned: true });
  readonly #runtime: TemplateRuntime;
  readonly #counters: RenderCounters = { renders: 0, staticBytes: 0, dynamicBytes: 0 };
  readonly #compileMs = new RollingWindow(TEMPLATE_STATS_WINDOW);
  readonly #pool: ParseWorkerPool;
  readonly #events: EventHub<TemplateCacheEvents>;
  #hits = 0;
  #misses = 0;
  #compiles = 0;
  #workerCompiles = 0;
  #compileSequence = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: TemplateCacheOptions = {}) {
    const { logger, ...parsed } = parseOptions(templateCacheOptionsSchema, options, 'TemplateCache options');
    this.#options = parsed;
    this.#events = new EventHub({ logger, table: TEMPLATE_LOG_TABLE });
    this.#entries = new QuickLRU({ maxSize: this.#options.maxEntries });
    const { memoMaxEntries, memoMaxBytes } = this.#options;
    this.#runtime = {
      memo:
        memoMaxEntries > 0 && memoMaxBytes > 0 ? new SectionMemo(memoMaxEntries, memoMaxBytes) : undefined,
      counters: { memoHits: 0, memoMisses: 0 },
    };
    this.#pool = new ParseWorkerPool(this.#options.workerPoolSize);
  }

  /**
   * The compiled template for `id`: cached when `source` is unchanged and not expired, otherwise
   * compiled (on a worker thread when `source` is large). Concurrent compiles of the same id and
   * source share one compile.
   * @throws {TemplateSyntaxError} with the position of the first syntax error.
   */
  async compile(id: string, source: string, options: CompileOptions = {}): Promise<CompiledTemplate> {
    if (this.#closed) throw new ClosedError('TemplateCache');
    if (typeof id !== 'string' || typeof source !== 'string') {
      throw new InvalidOptionsError('TemplateCache.compile arguments', ['`id` and `source` must be strings']);
    }
    const { signal } = options;
    if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
    const hoist = options.hoistStaticSections === true;
    const entry = this.#entries.get(id);
    if (
      entry &&
      entry.source === source &&
      entry.hoist === hoist &&
      entry.expiresAt > this.#options.clock.now()
    ) {
      this.#hits += 1;
      return entry.template;
    }
    const hash = hashSource(source, hoist);
    this.#misses += 1;
    const key = `${id}\u0000${hash}`;
    // A compile every waiter abandoned is cancelled: a new caller starts its own.
    const sequence = this.#compileSequence;
    const { flight, joined } = this.#pending.join(key, (compileSignal) =>
      this.#compile(id, source, hash, hoist, compileSignal, sequence),
    );
    if (!joined) this.#compileSequence += 1;
    const cancel = { signal, error: () => new AbortError(undefined, { cause: signal?.reason }) };
    return this.#pending.wait(flight, [cancel]);
  }

  /** The cached template for `id`, or `undefined` when absent or expired. */
  get(id: string): CompiledTemplate | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#options.clock.now()) {
      this.#entries.delete(id);
      return undefined;
    }
    this.#hits += 1;
    return entry.template;
  }

  /** Drops the template cached for `id`; true if there was one. */
  delete(id: string): boolean {
    return this.#entries.delete(id);
  }

  /** Subscribes to an event (`compile`); returns the unsubscribe function. */
  on<K extends keyof TemplateCacheEvents>(
    event: K,
    listener: (payload: TemplateCacheEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /** Counters, hit rate and compile time percentiles. */
  getStats(): TemplateCacheStats {
    const lookups = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
      compiles: this.#compiles,
      workerCompiles: this.#workerCompiles,
      compileMs: this.#compileMs.summary(),
      memoHits: this.#runtime.counters.memoHits,
      memoMisses: this.#runtime.counters.memoMisses,
      memoEntries: this.#runtime.memo?.size ?? 0,
      memoBytes: this.#runtime.memo?.bytes ?? 0,
      ...this.#counters,
      entries: this.#entries.size,
    };
  }

  /** Terminates the worker threads and empties the cache; later `compile()` calls throw `ClosedError`. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /** `await using templates = new TemplateCache(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    this.#events.clear();
    this.#entries.clear();
    this.#runtime.memo?.clear();
    await this.#pool.close();
  }

  async #compile(
    id: string,
    source: string,
    hash: string,
    hoist: boolean,
    signal: AbortSignal,
    sequence: number,
  ): Promise<CompiledTemplate> {
    const started = performance.now();
    const parsed = await this.#parse(source, signal);
    if (!parsed.ok) throw new TemplateSyntaxError(id, parsed.message, positionOf(source, parsed.offset));
    const compiled = compileNodes(parsed.nodes, this.#runtime, hash, hoist);
    const template = new CompiledTemplate(id, hash, source.length, compiled, this.#counters);
    const ms = performance.now() - started;
    this.#compileMs.add(ms);
    this.#compiles += 1;
    const worker = source.length >= this.#options.workerThresholdChars && this.#options.workerPoolSize > 0;
    this.#events.emit('compile', { id, ms, worker, sourceChars: source.length });
    if (this.#closed) throw new ClosedError('TemplateCache');
    const current = this.#entries.peek(id);
    if (current === undefined || current.sequence < sequence) {
      this.#entries.set(id, {
        template,
        source,
        hoist,
        expiresAt: this.#options.clock.now() + this.#options.ttlMs,
        sequence,
      });
    }
    return template;
  }

  #parse(source: string, signal: AbortSignal | undefined): Promise<ParseResult> | ParseResult {
    const { workerThresholdChars, workerPoolSize } = this.#options;
    if (workerPoolSize === 0 || source.length < workerThresholdChars) return parseTemplate(source);
    this.#workerCompiles += 1;
    return this.#pool.parse(source, signal);
  }
}
