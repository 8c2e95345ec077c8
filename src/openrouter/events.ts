/** Lifecycle events of the OpenRouter client (subscribe with `client.on(event, listener)`). */

/** Payloads by event name. */
export type OpenRouterEvents = {
  /** A failed attempt is retried on the same model after `delayMs`. */
  retry: { model: string; attempt: number; delayMs: number; error: Error };
  /** The call moves from `from` to the next model `to`. */
  fallback: { from: string; to: string; error: Error };
  /** A model's breaker opened after `failures` consecutive failures. */
  breakerOpen: { model: string; failures: number; cooldownMs: number };
  /** A model's breaker closed after a successful half-open probe. */
  breakerClose: { model: string };
  /** A hedged attempt started on `hedge` because `primary` had not answered within `delayMs`. */
  hedge: { primary: string; hedge: string; delayMs: number };
  /** A stream restarted on `model` after a mid-stream failure. */
  reset: { model: string; from: string; error: Error };
};
