import { AbortError, FastPathRouter, type RouteErrorEvent, type RouteMessage } from 'chatlane';
import { describe, expect, it } from 'vitest';

const boom = new Error('getter exploded');

/** An object every property read of which throws, as a hostile Proxy would. */
const throwingProxy = <T extends object>(): T =>
  new Proxy({} as T, {
    get() {
      throw boom;
    },
  });

function collectErrors(router: FastPathRouter): RouteErrorEvent[] {
  const errors: RouteErrorEvent[] = [];
  router.on('error', (event) => errors.push(event));
  return errors;
}

describe('FastPathRouter: throwing getters never make route() reject', () => {
  it('a message whose every property throws gets the heuristic decision and an input error event', async () => {
    const router = new FastPathRouter();
    const errors = collectErrors(router);
    const decision = await router.route(throwingProxy<RouteMessage>());
    expect(decision).toMatchObject({ source: 'heuristic', complexity: 'simple', path: 'full' });
    expect(errors).toEqual([{ stage: 'input', error: boom }]);
  });

  it('a message with one throwing getter keeps the readable fields', async () => {
    const router = new FastPathRouter();
    const errors = collectErrors(router);
    const message = {
      text: 'hey!',
      isDM: true,
      get hasAttachments(): boolean {
        throw boom;
      },
    };
    const decision = await router.route(message);
    expect(decision).toMatchObject({ path: 'fast', reason: 'dm-chit-chat' });
    expect(errors).toEqual([{ stage: 'input', error: boom }]);
  });

  it('a verdict with a throwing getter falls back to heuristics, counted and reported', async () => {
    const verdict = {
      get complexity(): string {
        throw boom;
      },
    };
    const router = new FastPathRouter({ classify: () => verdict as never });
    const errors = collectErrors(router);
    const decision = await router.route({ text: 'thanks!', isDM: true });
    expect(decision).toMatchObject({ source: 'heuristic', reason: 'dm-chit-chat', timedOut: false });
    expect(router.getStats().classifierErrors).toBe(1);
    expect(errors).toEqual([{ stage: 'verdict', error: boom }]);
  });

  it('a Proxy verdict (not thenable, every other read throws) falls back the same way', async () => {
    const verdict = new Proxy(
      {},
      {
        get(_target, key) {
          if (key === 'then') return undefined;
          throw boom;
        },
      },
    );
    const router = new FastPathRouter({ classify: () => verdict as never });
    const errors = collectErrors(router);
    await expect(router.route({ text: 'what is new in node?', isDM: true })).resolves.toMatchObject({
      source: 'heuristic',
      complexity: 'moderate',
    });
    expect(errors.map((e) => e.stage)).toEqual(['verdict']);
  });

  it('a rejecting classifier, or one resolving to a Proxy (its `then` throws), is reported as a classifier error', async () => {
    for (const classify of [
      () => Promise.reject(boom),
      async () => throwingProxy<{ complexity: 'simple' }>(),
    ]) {
      const router = new FastPathRouter({ classify });
      const errors = collectErrors(router);
      await expect(router.route({ text: 'hi', isDM: true })).resolves.toMatchObject({ source: 'heuristic' });
      expect(errors).toEqual([{ stage: 'classifier', error: boom }]);
    }
  });

  it('an abort still rejects, even with a throwing message', async () => {
    const controller = new AbortController();
    const router = new FastPathRouter({ classify: () => new Promise(() => {}), budgetMs: 60_000 });
    const pending = router.route(throwingProxy<RouteMessage>(), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});
