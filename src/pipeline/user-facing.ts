import { isChatlaneError } from '../errors.ts';
import { type ConfigurationErrorReason, configurationErrorReason } from '../openrouter/errors.ts';

/** Replies shown to a user when the pipeline could not answer, by failure kind. */
export const FAILURE_REPLIES = {
  /** Every model of the ladder failed or was skipped (breakers open): it may heal by itself. */
  unavailable: "Sorry — I can't reach my language models right now. Please try again in a minute.",
  /** The total deadline passed. */
  timeout: 'Sorry — that took too long and I had to stop. Please try again, perhaps with a shorter question.',
  /** The request was rejected as invalid (too long, unsupported content, flagged by moderation). */
  rejected: "Sorry — I couldn't process that message. Try rephrasing it or making it shorter.",
  /** OpenRouter refused the bot's key (401, 403): it will not heal by itself. */
  misconfigured:
    "Sorry — I can't answer right now because of a problem with my setup. Please let the people who run me know.",
  /** The OpenRouter account is out of credits (402): it will not heal by itself. */
  credits:
    "Sorry — I can't answer right now because my usage allowance has run out. Please let the people who run me know.",
  /** The configured model does not exist (404): it will not heal by itself. */
  unknown_model:
    "Sorry — I can't answer right now because the language model I'm set up to use isn't available. Please let the people who run me know.",
  /** Anything else. */
  unknown: 'Sorry — something went wrong while answering. Please try again.',
} as const;

/** The kind of failure a user is told about. */
export type FailureKind = keyof typeof FAILURE_REPLIES;

const KIND_BY_CODE: Record<string, FailureKind> = {
  OPENROUTER_CIRCUIT_OPEN: 'unavailable',
  OPENROUTER_CONNECTION: 'unavailable',
  OPENROUTER_TIMEOUT: 'timeout',
  OPENROUTER_HTTP: 'unavailable',
  OPENROUTER_INVALID_RESPONSE: 'unavailable',
  TEMPLATE_MISSING_VARIABLES: 'unknown',
  DISCORD_EMPTY_MESSAGE: 'rejected',
  DISCORD_INVALID_FORM_BODY: 'rejected',
};

const KIND_BY_CONFIGURATION_ERROR: Record<ConfigurationErrorReason, FailureKind> = {
  auth: 'misconfigured',
  credits: 'credits',
  model: 'unknown_model',
};

/**
 * HTTP statuses (or in-band codes) that mean the request itself was refused: bad request, payload
 * too large, and a 403 that is not a configuration error (moderation flagged the input).
 */
const REJECTED_STATUSES: ReadonlySet<unknown> = new Set([400, 403, 413]);

/** The status an OpenRouterHttpError is classified by: the in-band code, else the HTTP status. */
function statusOf(error: object): unknown {
  const { effectiveStatus, status } = error as { effectiveStatus?: unknown; status?: unknown };
  return effectiveStatus ?? status;
}

/** Kinds that trying again later will not fix: the same request fails the same way. */
const LASTING_KINDS: ReadonlySet<FailureKind> = new Set([
  'misconfigured',
  'credits',
  'unknown_model',
  'rejected',
]);

/**
 * An `AllModelsFailedError`: when every model failed in a way that will not heal by itself, the
 * first model's kind; else `unavailable` (at least one model may answer later).
 */
function kindOfAll(error: object): FailureKind {
  const errors = Object.values((error as { errors?: Record<string, unknown> }).errors ?? {});
  const kinds = errors.map(failureKind);
  const [first] = kinds;
  return first !== undefined && kinds.every((kind) => LASTING_KINDS.has(kind)) ? first : 'unavailable';
}

/** Classifies an error for the user-facing reply (see {@link FAILURE_REPLIES}). */
export function failureKind(error: unknown): FailureKind {
  if (!isChatlaneError(error)) return 'unknown';
  if (error.code === 'OPENROUTER_ALL_MODELS_FAILED') return kindOfAll(error);
  const lasting = configurationErrorReason(error);
  if (lasting !== undefined) return KIND_BY_CONFIGURATION_ERROR[lasting];
  if (error.code === 'OPENROUTER_HTTP' && REJECTED_STATUSES.has(statusOf(error))) return 'rejected';
  return KIND_BY_CODE[error.code] ?? 'unknown';
}

/**
 * A short, polite reply telling the user their message could not be answered. It never contains
 * error details (no model names, no status codes, no secrets): those go to the log. A failure that
 * will not heal by itself (bad key, no credits, unknown model) gets a reply that does not promise
 * a retry will work.
 */
export function userFacingFailure(error: unknown): string {
  return FAILURE_REPLIES[failureKind(error)];
}
