import { InvalidOptionsError, type LoggerLike, PhaseTimer } from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';

function throwingLogger(): LoggerLike {
  const fail = () => {
    throw new Error('log destination broke');
  };
  return { debug: fail, info: fail, warn: fail, error: fail };
}

describe('PhaseTimer with a throwing logger', () => {
  it('a logger that throws never changes what time() returns or which phases are recorded', async () => {
    const clock = new ManualClock(0);
    const timer = new PhaseTimer({ logger: throwingLogger(), clock, budgets: { llm: 5 } });
    const seen: string[] = [];
    timer.on('slo_breach', (event) => seen.push(event.phase));
    const result = await timer.time('llm', async () => {
      clock.advance(10);
      return 'answer';
    });
    expect(result).toBe('answer');
    expect(seen).toEqual(['llm']); // the breach event still fires after the failed debug line
    timer.start('discord');
    clock.advance(2);
    expect(timer.end('discord')).toBe(2);
    expect(timer.summary().phases).toEqual({ llm: 10, discord: 2 });
  });

  it('the error of the timed function is the one that reaches the caller', async () => {
    const timer = new PhaseTimer({ logger: throwingLogger() });
    await expect(
      timer.time('router', async () => {
        throw new Error('router failed');
      }),
    ).rejects.toThrow('router failed');
  });

  it('a logger without debug()/info()/warn()/error() is refused at construction', () => {
    const infoOnly = { info: () => undefined } as unknown as LoggerLike;
    expect(() => new PhaseTimer({ logger: infoOnly })).toThrow(InvalidOptionsError);
    expect(() => new PhaseTimer({ logger: infoOnly })).toThrow(/`logger`/);
  });
});
