/** The error of a request that waited too long for a pooled connection. */
import { ChatlaneError } from '../errors.ts';

/**
 * A request waited `queueTimeoutMs` for a free pooled connection without being sent. The client's
 * own capacity was exhausted, not the model: it is not a model failure (no breaker verdict), it is
 * not retried and it does not fall back to another model; the call ends with it.
 */
export class QueueTimeoutError extends ChatlaneError {
  declare readonly code: 'OPENROUTER_QUEUE_TIMEOUT';
  /** The bound that passed, ms. */
  readonly timeoutMs: number;
  /** Model the request was for. */
  readonly model: string;

  constructor(timeoutMs: number, model: string) {
    super(
      'OPENROUTER_QUEUE_TIMEOUT',
      `OpenRouter ${model}: no pooled connection free within ${timeoutMs} ms (raise maxConnections or queueTimeoutMs)`,
      { retryable: false },
    );
    this.timeoutMs = timeoutMs;
    this.model = model;
  }
}
