import { z } from 'zod';
import { InvalidOptionsError } from '../errors.ts';
import type { LoggerLike } from '../logging/event.ts';
import { closest } from './edit-distance.ts';

/** The slice of a zod 4 issue that the messages below read. */
type Issue = z.core.$ZodIssue;

/** What `_zod.def` holds for the schema kinds an options object is built from. */
interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: readonly z.ZodType[];
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `${String(value)} (${typeof value})`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The keys an object schema at `path` declares (through optional/default/pipe/union wrappers). */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const def = defOf(schema);
  const inner = def.innerType ?? def.in;
  if (inner) return knownKeysAt(inner, path);
  if (def.type === 'union') return (def.options ?? []).flatMap((option) => knownKeysAt(option, path));
  if (def.type !== 'object' || !def.shape) return [];
  if (path.length === 0) return Object.keys(def.shape);
  const child = def.shape[String(path[0])];
  return child ? knownKeysAt(child, path.slice(1)) : [];
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * The branch of a failed union the input was meant for: the only one with no issue at its root,
 * else the only one that did not refuse the input's type.
 */
function intendedBranch(issue: Issue & { code: 'invalid_union' }): readonly Issue[] | undefined {
  const atRoot = (branch: readonly Issue[], refusal: (inner: Issue) => boolean) =>
    branch.some((inner) => inner.path.length === 0 && refusal(inner));
  for (const refusal of [() => true, (inner: Issue) => inner.code === 'invalid_type']) {
    const matching = issue.errors.filter((branch) => !atRoot(branch, refusal));
    if (matching.length === 1) return matching[0];
  }
  return undefined;
}

/** Flattens union failures into the issues of the branch the input was meant for. */
function flatten(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      const branch = intendedBranch(issue);
      if (branch) return flatten(branch, path);
    }
    return [{ ...issue, path } as Issue];
  });
}

function unknownKeyLines(schema: z.ZodType, issue: Issue & { code: 'unrecognized_keys' }): string[] {
  const known = knownKeysAt(schema, issue.path);
  return issue.keys.map((key) => {
    const name = joinPath([...issue.path, key]);
    const suggestion = closest(key, known);
    const hint =
      suggestion === undefined ? '' : `, did you mean \`${joinPath([...issue.path, suggestion])}\`?`;
    return `\`${name}\`: unknown option${hint}`;
  });
}

function enumLine(name: string, values: readonly unknown[], got: unknown): string {
  const allowed = values.map((value) => JSON.stringify(value)).join(', ');
  const suggestion =
    typeof got === 'string'
      ? closest(
          got,
          values.filter((v) => typeof v === 'string'),
        )
      : undefined;
  const hint = suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
  return `\`${name}\`: expected one of ${allowed}, got ${describeValue(got)}${hint}`;
}

function issueLines(schema: z.ZodType, issue: Issue, input: unknown, subject: string): string[] {
  if (issue.code === 'unrecognized_keys') return unknownKeyLines(schema, issue);
  const name = issue.path.length > 0 ? joinPath(issue.path) : subject;
  const got = valueAt(input, issue.path);
  if (issue.code === 'invalid_value') return [enumLine(name, issue.values, got)];
  return [`\`${name}\`: ${issue.message}, got ${describeValue(got)}`];
}

/**
 * Validates `input` against `schema`; on failure throws an {@link InvalidOptionsError} whose
 * message names every bad value: ``Expected `maxConnections` …, got "x" (string)``; an unknown key
 * with the closest known one (``did you mean `readTimeoutMs`?``); an enum with its allowed values.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = flatten(result.error.issues).flatMap((issue) => issueLines(schema, issue, input, subject));
  throw new InvalidOptionsError(subject, issues);
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * The zod schema of every primitive's `logger` option: a {@link LoggerLike} (chatlane's `Logger`,
 * pino, or any object with `debug`/`info`/`warn`/`error(detail, event)`), optional.
 */
export const loggerOption = z
  .custom<LoggerLike>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      LOGGER_METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
    'Expected a logger with debug(), info(), warn() and error() methods',
  )
  .optional();
