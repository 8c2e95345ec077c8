import { type OpenRouterStreamItem, PHASES, PhaseTimer, timeStream } from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';

/** A clock the source moves: each item arrives `step` ms after the previous one. */
function manualClock() {
  const clock = new ManualClock(0);
  return { clock, advance: (ms: number) => clock.advance(ms) };
}

const done: OpenRouterStreamItem = {
  type: 'done',
  model: 'anthropic/claude-3.5-haiku',
  usage: undefined,
  finishReason: 'stop',
  attempts: 2,
  latencyMs: 30,
  ttftMs: 10,
};

async function* source(
  time: { advance: (ms: number) => void },
  items: Array<[number, OpenRouterStreamItem]>,
  error?: Error,
): AsyncGenerator<OpenRouterStreamItem> {
  for (const [afterMs, item] of items) {
    time.advance(afterMs);
    yield item;
  }
  if (error) throw error;
}

async function drain<T>(iterable: AsyncIterable<T>): Promise<unknown> {
  try {
    for await (const _ of iterable);
    return undefined;
  } catch (error) {
    return error;
  }
}

const delta = (text: string): OpenRouterStreamItem => ({ type: 'delta', delta: text, model: 'm' });

describe('timeStream', () => {
  it('records first token, generation and delivery on the timer, and keeps the done item', async () => {
    const time = manualClock();
    const timer = new PhaseTimer({ clock: time.clock });
    const llm = timeStream(
      timer,
      source(time, [
        [10, { type: 'reset', model: 'm2', reason: new Error('x') }],
        [15, delta('Hel')],
        [20, delta('lo')],
        [5, done],
      ]),
    );
    const seen: string[] = [];
    for await (const item of llm) seen.push(item.type);
    time.advance(40); // delivering the last edit
    llm.delivered();
    llm.delivered(); // idempotent
    expect(seen).toEqual(['reset', 'delta', 'delta', 'done']);
    expect(timer.summary().phases).toEqual({
      [PHASES.LLM_FIRST_TOKEN]: 25,
      [PHASES.LLM]: 50,
      [PHASES.DISCORD]: 40,
    });
    expect(llm.done?.model).toBe('anthropic/claude-3.5-haiku');
  });

  it('a source that fails before any text records no first-token phase, and passes its error on', async () => {
    const time = manualClock();
    const timer = new PhaseTimer({ clock: time.clock });
    const failure = new Error('every model 503');
    const llm = timeStream(timer, source(time, [], failure));
    time.advance(30);
    expect(await drain(llm)).toBe(failure);
    llm.delivered();
    const phases = timer.summary().phases;
    expect(phases).not.toHaveProperty(PHASES.LLM_FIRST_TOKEN);
    expect(Object.keys(phases)).toEqual([PHASES.LLM, PHASES.DISCORD]);
    expect(llm.done).toBeUndefined();
  });

  it('counts plain string items as text', async () => {
    const time = manualClock();
    const timer = new PhaseTimer({ clock: time.clock });
    async function* words() {
      time.advance(7);
      yield 'hi';
    }
    await drain(timeStream(timer, words()));
    expect(timer.summary().phases[PHASES.LLM_FIRST_TOKEN]).toBe(7);
  });

  it('delivered() before the source ended records no delivery phase', async () => {
    const time = manualClock();
    const timer = new PhaseTimer({ clock: time.clock });
    const llm = timeStream(timer, source(time, [[5, delta('a')]]));
    llm.delivered(); // the consumer gave up before reading
    await drain(llm);
    expect(timer.isOpen(PHASES.DISCORD)).toBe(false);
    expect(timer.summary().phases).not.toHaveProperty(PHASES.DISCORD);
  });

  it('starts timing at the first read, not when wrapped', async () => {
    const time = manualClock();
    const timer = new PhaseTimer({ clock: time.clock });
    const llm = timeStream(timer, source(time, [[10, delta('a')]]));
    time.advance(1_000); // e.g. resolving the Discord target
    expect(timer.isOpen(PHASES.LLM)).toBe(false);
    await drain(llm);
    expect(timer.summary().phases[PHASES.LLM]).toBe(10);
  });
});
