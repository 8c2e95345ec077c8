import type { EventEmitter } from 'node:events';

/**
 * Resolves with the first non-`undefined` result of `check` over `event` payloads; rejects
 * when the emitter emits `closed` first (the fake was closed while a test waited).
 */
export function waitUntil<P, T>(
  emitter: EventEmitter,
  event: string,
  check: (payload: P) => T | undefined,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onEvent = (payload: P) => {
      const result = check(payload);
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
