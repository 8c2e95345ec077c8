import {
  type Clock,
  DiscordSender,
  FastPathRouter,
  InvalidOptionsError,
  type LogEvent,
  Logger,
  MemorySessionStore,
  OpenRouterClient,
  PhaseTimer,
  SessionCache,
  SloMonitor,
  TemplateCache,
} from 'chatlane';
import { ManualClock } from 'chatlane/testing';
import { REST } from 'discord.js';
import { describe, expect, it } from 'vitest';

describe('one Clock shape', () => {
  it('ManualClock is a Clock: time and timers move only when advanced, background timers included', () => {
    const clock: Clock = new ManualClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('awaited'), 10);
    const background = clock.setTimeout(() => fired.push('background'), 20, { background: true });
    (clock as ManualClock).advance(15);
    expect(fired).toEqual(['awaited']);
    expect(clock.now()).toBe(115);
    clock.clearTimeout(background);
    (clock as ManualClock).advance(100);
    expect(fired).toEqual(['awaited']);
  });

  it('DiscordSender takes a ManualClock and rejects a clock without timers, naming the option', () => {
    const rest = new REST();
    expect(() => new DiscordSender({ rest, clock: new ManualClock() })).not.toThrow();
    const partial = { now: () => 0 } as unknown as Clock;
    expect(() => new DiscordSender({ rest, clock: partial })).toThrow(InvalidOptionsError);
    expect(() => new DiscordSender({ rest, clock: partial })).toThrow(/clock/);
  });

  const primitives: Array<[name: string, make: (clock: Clock) => object]> = [
    ['PhaseTimer', (clock) => new PhaseTimer({ clock })],
    ['OpenRouterClient', (clock) => new OpenRouterClient({ apiKey: 'k', models: ['m'], clock })],
    ['TemplateCache', (clock) => new TemplateCache({ clock, workerPoolSize: 0 })],
    ['FastPathRouter', (clock) => new FastPathRouter({ clock })],
    ['SessionCache', (clock) => new SessionCache({ clock })],
    ['MemorySessionStore', (clock) => new MemorySessionStore({ clock })],
    ['DiscordSender', (clock) => new DiscordSender({ rest: new REST(), clock })],
    ['SloMonitor', (clock) => new SloMonitor({ clock, evaluateEveryMs: 0 })],
    ['Logger', (clock) => new Logger({ sinks: [], clock })],
  ];

  it.each(primitives)(
    '%s takes the one Clock and rejects a bare function, naming the option',
    async (_, make) => {
      const made = make(new ManualClock()) as { close?: () => Promise<void> | void };
      await made.close?.();
      const bare = (() => 0) as unknown as Clock;
      expect(() => make(bare)).toThrow(InvalidOptionsError);
      expect(() => make(bare)).toThrow(/`clock`: Expected a Clock/);
    },
  );

  it('time comes from the injected clock: a PhaseTimer measures and a Logger stamps ManualClock time', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
    const timer = new PhaseTimer({ clock });
    timer.start('llm');
    clock.advance(250);
    expect(timer.end('llm')).toBe(250);
    const events: LogEvent[] = [];
    new Logger({ sinks: [{ write: (event) => events.push(event) }], clock }).info({}, 'tick');
    expect(events[0]?.ts).toBe('2026-01-02T03:04:05.250Z');
  });
});
