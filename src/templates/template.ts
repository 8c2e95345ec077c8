import { InvalidOptionsError } from '../errors.ts';
import {
  type CompiledParts,
  type Part,
  type RenderState,
  runParts,
  type TemplateSectionInfo,
} from './compile.ts';
import { TemplateVariableError } from './errors.ts';
import type { TemplateVariables } from './values.ts';

/** One render, split for provider-side prompt caching: the static prefix first, then the rest. */
export interface RenderedTemplate {
  /** Text identical for every render of this template (send it first: prompt caches hit on it). */
  staticPrefix: string;
  /** Text that depends on the variables. */
  dynamic: string;
  /** `staticPrefix + dynamic`, the same string `render()` returns. */
  text: string;
  /** UTF-8 bytes of `staticPrefix`. */
  staticBytes: number;
  /** UTF-8 bytes of `dynamic`. */
  dynamicBytes: number;
  /** Top-level names given in `vars` that the template never uses (likely typos). */
  unknownVariables: string[];
}

/** Counters a template reports to its cache. */
export interface RenderCounters {
  renders: number;
  staticBytes: number;
  dynamicBytes: number;
}

function uniqueNames(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/**
 * A compiled template: render it as often as you like; nothing is parsed again. Get one from
 * `TemplateCache.compile()`.
 */
export class CompiledTemplate {
  /** The id it was compiled under. */
  readonly id: string;
  /** Content hash of the source (with the compile options), part of the cache key. */
  readonly hash: string;
  /** Every variable name used (placeholders and `#if` conditions), in first-use order. */
  readonly variables: readonly string[];
  /** Names used by placeholders outside any `#if`: each render needs them. */
  readonly requiredVariables: readonly string[];
  /** Named sections in order, with whether each is static or memoized. */
  readonly sections: readonly TemplateSectionInfo[];
  /** The text every render starts with. */
  readonly staticPrefix: string;
  /** UTF-8 bytes of the static prefix. */
  readonly staticBytes: number;
  /** Characters of the source. */
  readonly sourceChars: number;
  readonly #dynamicParts: readonly Part[];
  readonly #roots: ReadonlySet<string>;
  readonly #counters: RenderCounters;

  /** @internal Built by `TemplateCache`. */
  constructor(
    id: string,
    hash: string,
    sourceChars: number,
    compiled: CompiledParts,
    counters: RenderCounters,
  ) {
    this.id = id;
    this.hash = hash;
    this.sourceChars = sourceChars;
    this.variables = Object.freeze(compiled.variables);
    this.requiredVariables = Object.freeze(compiled.requiredVariables);
    this.sections = Object.freeze(compiled.sections);
    this.staticPrefix = compiled.staticPrefix;
    this.staticBytes = Buffer.byteLength(compiled.staticPrefix);
    this.#dynamicParts = compiled.dynamicParts;
    this.#roots = new Set(compiled.variables.map((name) => name.split('.')[0]!));
    this.#counters = counters;
  }

  /**
   * Renders with `vars`. Values are inserted literally (never parsed as template syntax).
   * @throws {TemplateVariableError} listing every missing variable the render reached.
   */
  render(vars: TemplateVariables = {}): string {
    return this.staticPrefix + this.#renderDynamic(vars);
  }

  /** Renders and returns the static prefix and the dynamic rest separately, with their byte sizes. */
  renderParts(vars: TemplateVariables = {}): RenderedTemplate {
    const dynamic = this.#renderDynamic(vars);
    const dynamicBytes = Buffer.byteLength(dynamic);
    this.#counters.staticBytes += this.staticBytes;
    this.#counters.dynamicBytes += dynamicBytes;
    return {
      staticPrefix: this.staticPrefix,
      dynamic,
      text: this.staticPrefix + dynamic,
      staticBytes: this.staticBytes,
      dynamicBytes,
      unknownVariables: this.unknownVariables(vars),
    };
  }

  /** Top-level names in `vars` the template never uses. */
  unknownVariables(vars: TemplateVariables): string[] {
    return Object.keys(vars).filter((name) => !this.#roots.has(name));
  }

  /** Required names that `vars` lacks (without rendering). */
  missingVariables(vars: TemplateVariables): string[] {
    return this.requiredVariables.filter((name) => {
      let current: unknown = vars;
      for (const key of name.split('.')) {
        if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return true;
        current = (current as Record<string, unknown>)[key];
      }
      return current === undefined || current === null;
    });
  }

  #renderDynamic(vars: TemplateVariables): string {
    if (vars === null || typeof vars !== 'object') {
      throw new InvalidOptionsError(`template "${this.id}" variables`, ['expected an object of variables']);
    }
    this.#counters.renders += 1;
    const state: RenderState = { vars, missing: undefined };
    const dynamic = runParts(this.#dynamicParts, state);
    if (state.missing) throw new TemplateVariableError(this.id, uniqueNames(state.missing));
    return dynamic;
  }
}
