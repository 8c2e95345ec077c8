/** The one abort race of chatlane: wait for a promise unless a signal ends the wait first. */

/** A signal that ends a wait, and the error the wait then rejects with (given the signal's reason). */
export interface AbortCancel {
  readonly signal: AbortSignal | undefined;
  readonly error: (reason: unknown) => unknown;
}

/**
 * Waits for `promise`, or rejects as soon as one of the `cancels` signals aborts (with that
 * cancel's error; at once when one is already aborted). The promise itself runs on: only this wait
 * ends. Listeners are removed when the wait settles, so long-lived signals do not accumulate them.
 */
export function raceAbort<V>(
  promise: PromiseLike<V>,
  cancels: AbortCancel | readonly AbortCancel[],
): Promise<V> {
  const list = (Array.isArray(cancels) ? cancels : [cancels]) as readonly AbortCancel[];
  const active = list.filter((cancel): cancel is AbortCancel & { signal: AbortSignal } => !!cancel.signal);
  const aborted = active.find((cancel) => cancel.signal.aborted);
  if (aborted) return Promise.reject(aborted.error(aborted.signal.reason));
  if (active.length === 0) return Promise.resolve(promise);
  return new Promise<V>((resolve, reject) => {
    const removers = active.map((cancel) => {
      const onAbort = () => {
        cleanup();
        reject(cancel.error(cancel.signal.reason));
      };
      cancel.signal.addEventListener('abort', onAbort, { once: true });
      return () => cancel.signal.removeEventListener('abort', onAbort);
    });
    const cleanup = () => {
      for (const remove of removers) remove();
    };
    promise.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}
