import { type Clock, DiscordSender, InvalidOptionsError } from 'chatlane';
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
});
