import type { z } from 'zod';

/** A profile accepted, or why not (the zod issues, never the value itself). */
export type ProfileCheck<P> =
  | { readonly ok: true; readonly value: P }
  | { readonly ok: false; readonly reason: string };

/** Without a `profileSchema`: any non-null, non-array object (a cheap check, run on every hit). */
function isProfileObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds the profile validator: the caller's zod schema (its output is the profile), else the
 * default shape check (the value itself is kept, so the cache hands out the object it stored).
 */
export function profileChecker<P>(schema: z.ZodType<P> | undefined): (value: unknown) => ProfileCheck<P> {
  if (!schema) {
    return (value) =>
      isProfileObject(value)
        ? { ok: true, value: value as P }
        : { ok: false, reason: `Expected an object, got ${value === null ? 'null' : typeof value}` };
  }
  return (value) => {
    const result = schema.safeParse(value);
    if (result.success) return { ok: true, value: result.data };
    return { ok: false, reason: result.error.issues.map((issue) => issue.message).join('; ') };
  };
}
