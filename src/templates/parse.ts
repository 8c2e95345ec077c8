/**
 * The template parser: source text → a small tree of nodes. One left-to-right pass with
 * `indexOf`, no regex over the whole source.
 *
 * `parseTemplate` is deliberately SELF-CONTAINED (it references nothing outside its own body):
 * the worker pool serializes it with `Function.prototype.toString()` and evaluates it inside a
 * worker thread, which works the same from `src/` and from the bundled `dist/`.
 */

/** Literal text. */
export interface TextNode {
  t: 'text';
  v: string;
}
/** `{{name}}` or `{{a.b}}`: a value inserted literally. */
export interface VarNode {
  t: 'var';
  name: string;
  at: number;
}
/** `{{#if name}}…{{else}}…{{/if}}`: an optional section. */
export interface IfNode {
  t: 'if';
  name: string;
  yes: TemplateNode[];
  no: TemplateNode[];
  at: number;
}
/** `{{#section name}}…{{/section}}`: a named section (static when it uses no variable). */
export interface SectionNode {
  t: 'section';
  name: string;
  body: TemplateNode[];
  at: number;
}
/** One node of a parsed template. */
export type TemplateNode = TextNode | VarNode | IfNode | SectionNode;

/** Result of {@link parseTemplate}: nodes, or the first syntax error and its offset. */
export type ParseResult =
  | { ok: true; nodes: TemplateNode[] }
  | { ok: false; message: string; offset: number };

/**
 * Parses template source. Syntax: `{{name}}` / `{{a.b}}` placeholders, `{{#if name}}…{{else}}…{{/if}}`,
 * `{{#section name}}…{{/section}}`, `{{! comment }}`, and `\{{` for a literal `{{`.
 */
export function parseTemplate(source: string): ParseResult {
  const namePattern = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
  type Frame = { node: IfNode | SectionNode; parent: TemplateNode[]; inElse: boolean };
  const root: TemplateNode[] = [];
  const stack: Frame[] = [];
  let out = root;
  let text = '';
  let index = 0;
  const flush = () => {
    if (text.length > 0) out.push({ t: 'text', v: text });
    text = '';
  };
  const fail = (message: string, offset: number): ParseResult => ({ ok: false, message, offset });

  while (index < source.length) {
    const open = source.indexOf('{{', index);
    if (open === -1) {
      text += source.slice(index);
      break;
    }
    if (open > 0 && source.charCodeAt(open - 1) === 92 /* \ */) {
      text += `${source.slice(index, open - 1)}{{`;
      index = open + 2;
      continue;
    }
    text += source.slice(index, open);
    const close = source.indexOf('}}', open + 2);
    if (close === -1) return fail('unclosed "{{"', open);
    const tag = source.slice(open + 2, close).trim();
    index = close + 2;
    if (tag.startsWith('!')) continue;
    if (tag.length === 0) return fail('empty tag "{{}}"', open);

    const head = tag.charCodeAt(0);
    if (head === 35 /* # */) {
      const [keyword = '', name = '', ...rest] = tag.slice(1).trim().split(/\s+/);
      if (keyword !== 'if' && keyword !== 'section') return fail(`unknown block "{{#${keyword}}}"`, open);
      if (rest.length > 0 || !namePattern.test(name)) return fail(`invalid ${keyword} name "${name}"`, open);
      if (keyword === 'section' && name.includes('.')) return fail(`invalid section name "${name}"`, open);
      flush();
      const node: IfNode | SectionNode =
        keyword === 'if'
          ? { t: 'if', name, yes: [], no: [], at: open }
          : { t: 'section', name, body: [], at: open };
      out.push(node);
      stack.push({ node, parent: out, inElse: false });
      out = node.t === 'if' ? node.yes : node.body;
    } else if (head === 47 /* / */) {
      const [keyword = '', name, ...rest] = tag.slice(1).trim().split(/\s+/);
      const frame = stack.at(-1);
      if (!frame) return fail(`"{{/${keyword}}}" without an open block`, open);
      const expected = frame.node.t === 'if' ? 'if' : 'section';
      if (keyword !== expected || rest.length > 0 || (name !== undefined && name !== frame.node.name)) {
        return fail(`"{{/${tag.slice(1).trim()}}}" closes "{{#${expected} ${frame.node.name}}}"`, open);
      }
      flush();
      stack.pop();
      out = frame.parent;
    } else if (tag === 'else') {
      const frame = stack.at(-1);
      if (frame?.node.t !== 'if' || frame.inElse) return fail('"{{else}}" outside an "{{#if}}"', open);
      flush();
      frame.inElse = true;
      out = frame.node.no;
    } else {
      if (!namePattern.test(tag)) return fail(`invalid variable name "${tag}"`, open);
      flush();
      out.push({ t: 'var', name: tag, at: open });
    }
  }
  flush();
  const unclosed = stack.at(-1);
  if (unclosed)
    return fail(`"{{#${unclosed.node.t} ${unclosed.node.name}}}" is never closed`, unclosed.node.at);
  return { ok: true, nodes: root };
}
