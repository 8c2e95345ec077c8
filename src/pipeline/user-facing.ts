import { isChatlaneError } from '../errors.ts';

/** Replies shown to a user when the pipeline could not answer, by failure kind. */
export const FAILURE_REPLIES = {
  /** Every model of the ladder failed or was skipped (breakers open). */
  unavailable: "Sorry — I can't reach my language models right now. Please try again in a minute.",
  /** The total deadline passed. */
  timeout: 'Sorry — that took too long and I had to stop. Please try again, perhaps with a shorter question.',
  /** The request was rejected as invalid (too long, unsupported content). */
  rejected: "Sorry — I couldn't process that message. Try rephrasing it or making it shorter.",
  /** Anything else. */
  unknown: 'Sorry — something went wrong while answering. Please try again.',
} as const;

/** The kind of failure a user is told about. */
export type FailureKind = keyof typeof FAILURE_REPLIES;

const KIND_BY_CODE: Record<string, FailureKind> = {
  OPENROUTER_ALL_MODELS_FAILED: 'unavailable',
  OPENROUTER_CIRCUIT_OPEN: 'unavailable',
  OPENROUTER_CONNECTION: 'unavailable',
  OPENROUTER_TIMEOUT: 'timeout',
  OPENROUTER_HTTP: 'unavailable',
  OPENROUTER_INVALID_RESPONSE: 'unavailable',
  TEMPLATE_MISSING_VARIABLES: 'unknown',
  DISCORD_EMPTY_MESSAGE: 'rejected',
  DISCORD_INVALID_FORM_BODY: 'rejected',
};

/** HTTP statuses that mean the request itself was refused (bad request, payload too large). */
const REJECTED_STATUSES: ReadonlySet<unknown> = new Set([400, 413]);

/** Classifies an error for the user-facing reply (see {@link FAILURE_REPLIES}). */
export function failureKind(error: unknown): FailureKind {
  if (!isChatlaneError(error)) return 'unknown';
  const status = (error as { status?: unknown }).status;
  if (error.code === 'OPENROUTER_HTTP' && REJECTED_STATUSES.has(status)) return 'rejected';
  return KIND_BY_CODE[error.code] ?? 'unknown';
}

/**
 * A short, polite reply telling the user their message could not be answered. It never contains
 * error details (no model names, no status codes, no secrets): those go to the log.
 */
export function userFacingFailure(error: unknown): string {
  return FAILURE_REPLIES[failureKind(error)];
}
