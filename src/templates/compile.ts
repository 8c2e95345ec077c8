/**
 * Turns parsed nodes into render closures, once. Static text and static sections are rendered at
 * compile time; a render walks an array of strings and closures (no scanning of the source).
 */
import type { SectionMemo } from './memo.ts';
import type { TemplateNode } from './parse.ts';
import {
  isMissing,
  isTruthy,
  lookupValue,
  memoKeyOf,
  stringifyValue,
  type TemplateVariables,
} from './values.ts';

/** Mutable state of one render. */
export interface RenderState {
  vars: TemplateVariables;
  missing: string[] | undefined;
}

/** A compiled piece: literal text or a closure producing text. */
export type Part = string | ((state: RenderState) => string);

/** Shared by every template of one cache: the section memo and its counters. */
export interface TemplateRuntime {
  memo: SectionMemo | undefined;
  counters: { memoHits: number; memoMisses: number };
}

/** Facts about one named section. */
export interface TemplateSectionInfo {
  /** The section name. */
  name: string;
  /** True when it uses no variable: rendered once at compile time. */
  static: boolean;
  /** True when its output is memoized by the values of its variables. */
  memoized: boolean;
}

/** What compiling produced: the prefix, the dynamic parts, and facts. */
export interface CompiledParts {
  staticPrefix: string;
  dynamicParts: Part[];
  variables: string[];
  requiredVariables: string[];
  sections: TemplateSectionInfo[];
}

const EMPTY_STATE: RenderState = { vars: {}, missing: undefined };

/** Concatenates the output of compiled parts. */
export function runParts(parts: readonly Part[], state: RenderState): string {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : part(state);
  return out;
}

function pushPart(parts: Part[], part: Part): void {
  const last = parts.length - 1;
  const previous = parts[last];
  if (typeof part === 'string' && typeof previous === 'string') parts[last] = previous + part;
  else if (part !== '') parts.push(part);
}

/** Every variable name a subtree uses (placeholders and conditions), in order, without repeats. */
export function collectNames(nodes: readonly TemplateNode[], into: string[] = []): string[] {
  for (const node of nodes) {
    if (node.t === 'var' || node.t === 'if') {
      if (!into.includes(node.name)) into.push(node.name);
    }
    if (node.t === 'if') {
      collectNames(node.yes, into);
      collectNames(node.no, into);
    } else if (node.t === 'section') collectNames(node.body, into);
  }
  return into;
}

function collectRequired(nodes: readonly TemplateNode[], into: string[]): string[] {
  for (const node of nodes) {
    if (node.t === 'var' && !into.includes(node.name)) into.push(node.name);
    else if (node.t === 'section') collectRequired(node.body, into);
  }
  return into;
}

function variablePart(name: string): Part {
  const path = name.split('.');
  return (state) => {
    const value = lookupValue(state.vars, path);
    if (isMissing(value)) {
      if (state.missing) state.missing.push(name);
      else state.missing = [name];
      return '';
    }
    return stringifyValue(value);
  };
}

class Compiler {
  readonly sections: TemplateSectionInfo[] = [];
  readonly #runtime: TemplateRuntime;
  readonly #memoBase: string;

  constructor(runtime: TemplateRuntime, memoBase: string) {
    this.#runtime = runtime;
    this.#memoBase = memoBase;
  }

  nodes(nodes: readonly TemplateNode[], hoisted?: string[]): Part[] {
    const parts: Part[] = [];
    for (const node of nodes) {
      if (node.t === 'text') pushPart(parts, node.v);
      else if (node.t === 'var') pushPart(parts, variablePart(node.name));
      else if (node.t === 'if') pushPart(parts, this.#conditional(node.name, node.yes, node.no));
      else {
        const part = this.#section(node.name, node.body);
        if (hoisted && typeof part === 'string') hoisted.push(part);
        else pushPart(parts, part);
      }
    }
    return parts;
  }

  #conditional(name: string, thenNodes: readonly TemplateNode[], elseNodes: readonly TemplateNode[]): Part {
    const path = name.split('.');
    const whenTrue = this.nodes(thenNodes);
    const whenFalse = this.nodes(elseNodes);
    return (state) => runParts(isTruthy(lookupValue(state.vars, path)) ? whenTrue : whenFalse, state);
  }

  #section(name: string, body: readonly TemplateNode[]): Part {
    const index = this.sections.length;
    const info: TemplateSectionInfo = { name, static: false, memoized: false };
    this.sections.push(info);
    const parts = this.nodes(body);
    const names = collectNames(body);
    if (names.length === 0) {
      info.static = true;
      return runParts(parts, EMPTY_STATE);
    }
    const { memo, counters } = this.#runtime;
    if (!memo) return (state) => runParts(parts, state);
    info.memoized = true;
    const paths = names.map((n) => n.split('.'));
    const base = `${this.#memoBase}#${index}`;
    return (state) => {
      let key: string | undefined = base;
      for (const path of paths) {
        const segment = memoKeyOf(lookupValue(state.vars, path));
        if (segment === undefined) {
          key = undefined;
          break;
        }
        key += `|${segment}`;
      }
      const cached = key === undefined ? undefined : memo.get(key);
      if (cached !== undefined) {
        counters.memoHits += 1;
        return cached;
      }
      counters.memoMisses += 1;
      const missingBefore = state.missing?.length ?? 0;
      const text = runParts(parts, state);
      if (key !== undefined && (state.missing?.length ?? 0) === missingBefore) memo.set(key, text);
      return text;
    };
  }
}

/**
 * Compiles parsed nodes. With `hoistStaticSections`, top-level static named sections move into the
 * static prefix (after any leading static text), so the prefix is as long and stable as possible.
 */
export function compileNodes(
  nodes: readonly TemplateNode[],
  runtime: TemplateRuntime,
  memoBase: string,
  hoistStaticSections: boolean,
): CompiledParts {
  const compiler = new Compiler(runtime, memoBase);
  const hoisted: string[] = [];
  const parts = compiler.nodes(nodes, hoistStaticSections ? hoisted : undefined);
  const leading = typeof parts[0] === 'string' ? (parts.shift() as string) : '';
  return {
    staticPrefix: leading + hoisted.join(''),
    dynamicParts: parts,
    variables: collectNames(nodes),
    requiredVariables: collectRequired(nodes, []),
    sections: compiler.sections,
  };
}
