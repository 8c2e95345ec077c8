import { ChatlaneError } from '../errors.ts';

/**
 * The user-supplied `loadProfile` failed (or returned `undefined`). Nothing is cached; every
 * caller waiting on that load receives this same error, the loader's error as `cause`.
 */
export class ProfileLoadError extends ChatlaneError {
  declare readonly code: 'SESSION_PROFILE_LOAD';
  /** The user whose profile failed to load. */
  readonly userId: string;

  constructor(userId: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('SESSION_PROFILE_LOAD', `Loading the profile of user ${userId} failed: ${reason}`, {
      cause,
      retryable: true,
    });
    this.userId = userId;
  }
}

/** A session store operation failed (for example Redis unreachable). */
export class SessionStoreError extends ChatlaneError {
  declare readonly code: 'SESSION_STORE' | 'SESSION_STORE_TIMEOUT';
  /** The store operation, e.g. `appendHistory`. */
  readonly operation: string;

  /** `code` is for subclasses (e.g. `SESSION_STORE_TIMEOUT`). */
  constructor(
    operation: string,
    cause: unknown,
    code: 'SESSION_STORE' | 'SESSION_STORE_TIMEOUT' = 'SESSION_STORE',
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(code, `Session store operation ${operation} failed: ${reason}`, { cause, retryable: true });
    this.operation = operation;
  }
}

/** A session store operation did not answer within `storeTimeoutMs` (slow or unreachable store). */
export class SessionStoreTimeoutError extends SessionStoreError {
  declare readonly code: 'SESSION_STORE_TIMEOUT';
  /** The bound that was exceeded. */
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number) {
    super(operation, new Error(`no answer within ${timeoutMs} ms`), 'SESSION_STORE_TIMEOUT');
    this.timeoutMs = timeoutMs;
  }
}

/**
 * `getProfile` was called on a `SessionCache` created without `loadProfile` (a history-only
 * cache). Not retryable: give the cache a loader.
 */
export class ProfileLoaderMissingError extends ChatlaneError {
  declare readonly code: 'SESSION_NO_PROFILE_LOADER';
  constructor() {
    super(
      'SESSION_NO_PROFILE_LOADER',
      'getProfile needs a profile loader: create the SessionCache with the `loadProfile` option',
    );
  }
}
