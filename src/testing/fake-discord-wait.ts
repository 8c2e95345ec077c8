import type { EventEmitter } from 'node:events';

/**
 * Resolves with the first non-`undefined` result of `check` over `event` payloads; rejects
 * when the emitter emits `closed` first (the fake was closed while a test waited) or when
 * `check` throws.
 */
export function waitUntil<P, T>(
  emitter: EventEmitter,
  event: string,
  check: (payload: P) => T | undefined,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onEvent = (payload: P) => {
      let result: T | undefined;
      try {
        result = check(payload);
      } catch (error) {
        cleanup();
        reject(error); // a test's predicate bug fails its wait instead of hanging it
        return;
      }
      if (result === undefined) return;
      cleanup();
      resolve(result);
    };
    const onClosed = () => {
      cleanup();
      reject(new Error(`FakeDiscord closed while waiting for ${what}`));
    };
    const cleanup = () => {
      emitter.off(event, onEvent);
      emitter.off('closed', onClosed);
    };
    emitter.on(event, onEvent);
    emitter.on('closed', onClosed);
  });
}
