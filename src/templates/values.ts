/**
 * How values are looked up, tested and turned into text. Values are inserted literally: the
 * output of {@link stringifyValue} is never parsed again, so `{{` inside a value stays text.
 */

/** Values a template renders from: top-level names → any value (dotted names read nested objects). */
export type TemplateVariables = Readonly<Record<string, unknown>>;

/** Reads `path` from `vars`, own properties only (so `{{constructor}}` is never `Object`). */
export function lookupValue(vars: TemplateVariables, path: readonly string[]): unknown {
  let current: unknown = vars;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `undefined` and `null` count as missing. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null;
}

/** Falsy for `{{#if}}`: missing, `false`, `''`, and an empty array. Everything else (`0` too) is truthy. */
export function isTruthy(value: unknown): boolean {
  if (isMissing(value) || value === false || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

/** Text for a value: strings as they are, arrays one item per line, objects as JSON. */
export function stringifyValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(stringifyValue).join('\n');
  if (value !== null && typeof value === 'object') return JSON.stringify(value) ?? '';
  return String(value);
}

/**
 * An unambiguous memo-key segment for a value (length-prefixed), or `undefined` if it has none.
 * Arrays are keyed item by item, as {@link stringifyValue} renders them (JSON would map
 * `undefined` and functions to `null`).
 */
export function memoKeyOf(value: unknown): string | undefined {
  if (value === undefined) return '~';
  if (typeof value === 'string') return `s${value.length}:${value}`;
  if (Array.isArray(value)) return arrayMemoKey(value);
  if (value !== null && typeof value === 'object') {
    try {
      const json = JSON.stringify(value);
      return json === undefined ? undefined : `o${json.length}:${json}`;
    } catch {
      return undefined;
    }
  }
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  const text = String(value);
  return `${typeof value}${text.length}:${text}`;
}

function arrayMemoKey(items: readonly unknown[]): string | undefined {
  let key = `a${items.length}[`;
  for (const item of items) {
    const segment = memoKeyOf(item);
    if (segment === undefined) return undefined;
    key += segment;
  }
  return `${key}]`;
}
