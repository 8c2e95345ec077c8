import { ChatlaneError } from '../errors.ts';

/**
 * The user-supplied `loadProfile` failed (or returned `undefined`). Nothing is cached; every
 * caller waiting on that load receives this same error, the loader's error as `cause`.
 */
export class ProfileLoadError extends ChatlaneError {
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
  /** The store operation, e.g. `appendHistory`. */
  readonly operation: string;

  constructor(operation: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('SESSION_STORE', `Session store operation ${operation} failed: ${reason}`, {
      cause,
      retryable: true,
    });
    this.operation = operation;
  }
}
