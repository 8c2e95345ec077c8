import { CORR_ID_PATTERN, type LoggerLike, PHASES, PhaseTimer, PhaseTimerError } from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { describe, expect, it } from 'vitest';

function manualClock(start = 1000) {
  const clock = new ManualClock(start);
  return { clock, advance: (ms: number) => clock.advance(ms) };
}

function recordingLogger() {
  const calls: Array<{ level: string; event: string; detail: Record<string, unknown> }> = [];
  const at = (level: string) => (detail: object, event: string) =>
    calls.push({ level, event, detail: detail as Record<string, unknown> });
  const logger: LoggerLike = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, calls };
}

describe('PhaseTimer', () => {
  it('creates crypto-random 8-char lowercase hex correlation ids', () => {
    const ids = new Set(Array.from({ length: 200 }, () => new PhaseTimer().corrId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(CORR_ID_PATTERN);
  });

  it('accepts a given corr id and rejects a malformed one', () => {
    expect(new PhaseTimer({ corrId: 'a1b2c3d4' }).corrId).toBe('a1b2c3d4');
    expect(() => new PhaseTimer({ corrId: 'A1B2C3D4' })).toThrow(/corrId/);
    expect(() => new PhaseTimer({ corrId: 'a1b2c3' })).toThrow(/8 lowercase hex/);
  });

  it('times phases with sub-millisecond precision and summarises them', () => {
    const { clock, advance } = manualClock();
    const timer = new PhaseTimer({ corrId: 'deadbeef', clock });
    timer.start(PHASES.ROUTER);
    advance(0.25);
    expect(timer.end(PHASES.ROUTER)).toBe(0.25);
    timer.start(PHASES.LLM);
    advance(1234.5678);
    timer.end(PHASES.LLM);
    expect(timer.summary()).toEqual({
      corrId: 'deadbeef',
      totalMs: 1234.818,
      phases: { router: 0.25, llm: 1234.568 },
    });
  });

  it('allows nested and parallel phases', () => {
    const { clock, advance } = manualClock();
    const timer = new PhaseTimer({ clock });
    timer.start(PHASES.PIPELINE);
    timer.start(PHASES.CONTEXT);
    timer.start(PHASES.PROMPT);
    expect(timer.isOpen(PHASES.CONTEXT) && timer.isOpen(PHASES.PROMPT)).toBe(true);
    advance(10);
    timer.end(PHASES.PROMPT);
    advance(5);
    timer.end(PHASES.CONTEXT);
    timer.end(PHASES.PIPELINE);
    expect(timer.summary().phases).toEqual({ prompt: 10, context: 15, pipeline: 15 });
  });

  it('throws typed errors for misuse', () => {
    const timer = new PhaseTimer({ corrId: '0badc0de' });
    const codeOf = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(PhaseTimerError);
        return (error as PhaseTimerError).code;
      }
      return 'no error';
    };
    expect(codeOf(() => timer.end('never'))).toBe('PHASE_NOT_STARTED');
    timer.start('a');
    expect(codeOf(() => timer.start('a'))).toBe('PHASE_ALREADY_STARTED');
    timer.end('a');
    expect(codeOf(() => timer.end('a'))).toBe('PHASE_ALREADY_ENDED');
    expect(codeOf(() => timer.start('a'))).toBe('PHASE_ALREADY_ENDED');
  });

  it('time() ends the phase when the function throws, and rethrows', async () => {
    const { clock, advance } = manualClock();
    const timer = new PhaseTimer({ clock });
    await expect(
      timer.time('llm', async () => {
        advance(7);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(timer.summary().phases).toEqual({ llm: 7 });
    await expect(timer.time('ok', () => 42)).resolves.toBe(42);
  });

  it('emits phase and slo_breach events and logs them to the logger', () => {
    const { clock, advance } = manualClock();
    const { logger, calls } = recordingLogger();
    const timer = new PhaseTimer({ corrId: 'cafef00d', clock, logger, budgets: { llm: 100 } });
    const breaches: unknown[] = [];
    const off = timer.on('slo_breach', (b) => breaches.push(b));
    timer.start('llm');
    advance(150);
    timer.end('llm');
    timer.start('router');
    advance(500);
    timer.end('router');
    off();
    expect(breaches).toEqual([{ corrId: 'cafef00d', phase: 'llm', ms: 150, budgetMs: 100 }]);
    expect(calls.map((c) => `${c.level}:${c.event}`)).toEqual([
      'debug:phase_end',
      'warn:slo_breach',
      'debug:phase_end',
    ]);
    expect(calls[1]!.detail).toEqual({ corr_id: 'cafef00d', phase: 'llm', duration_ms: 150, budget_ms: 100 });
  });
});
