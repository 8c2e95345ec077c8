/**
 * The error base of chatlane. Every error the library throws is a {@link ChatlaneError} with a
 * stable `code`; primitives add subclasses with context (status, model, phase, …).
 */

import type { ChatlaneErrorCode } from './error-codes.ts';

const BRAND = Symbol.for('chatlane.error');

/** Options accepted by every chatlane error. */
export interface ChatlaneErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Whether trying again may succeed. @default false */
  retryable?: boolean;
}

/** Base class of every error chatlane throws. */
export class ChatlaneError extends Error {
  /**
   * Stable machine-readable code, e.g. `OPENROUTER_HTTP`, `INVALID_OPTIONS`; each subclass narrows
   * it to its own codes (every code: `CHATLANE_ERROR_CODES`).
   */
  readonly code: ChatlaneErrorCode;
  /** Whether trying the same operation again may succeed. */
  readonly retryable: boolean;
  declare readonly [BRAND]: true;

  constructor(code: ChatlaneErrorCode, message: string, options: ChatlaneErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for any chatlane error, also one thrown by a second copy of the package (it checks a
 * global brand, not only `instanceof`).
 */
export function isChatlaneError(error: unknown): error is ChatlaneError {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { [BRAND]?: unknown })[BRAND] === true || error instanceof ChatlaneError)
  );
}

/** Options given to a constructor (or method) failed validation. `issues` names each bad value. */
export class InvalidOptionsError extends ChatlaneError {
  declare readonly code: 'INVALID_OPTIONS';
  /** One human-readable line per invalid value. */
  readonly issues: readonly string[];

  constructor(subject: string, issues: readonly string[]) {
    super('INVALID_OPTIONS', `Invalid ${subject}: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

/** An operation was cancelled through its `AbortSignal` (or by `close()`). */
export class AbortError extends ChatlaneError {
  declare readonly code: 'ABORTED';
  constructor(message = 'The operation was aborted', options: ChatlaneErrorOptions = {}) {
    super('ABORTED', message, options);
  }
}

/** An operation was attempted on a primitive after `close()`. */
export class ClosedError extends ChatlaneError {
  declare readonly code: 'CLOSED';
  constructor(subject: string) {
    super('CLOSED', `${subject} is closed`);
  }
}
