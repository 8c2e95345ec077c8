import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../examples/reference-bot/config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('reference bot configuration', () => {
  it('runs the demo with neither key and live with both, with working defaults', () => {
    const demo = loadConfig({});
    expect(demo.mode).toBe('demo');
    expect(demo.OPENROUTER_MODELS.length).toBeGreaterThan(1);
    expect(demo.LOG_LEVEL).toBe('INFO');
    expect(demo.DEBUG).toBe(false);
    const live = loadConfig({ DISCORD_TOKEN: 'token', OPENROUTER_API_KEY: 'key', DEBUG: '1' });
    expect(live.mode).toBe('live');
    expect(live.DEBUG).toBe(true);
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ DISCORD_TOKEN: '', OPENROUTER_API_KEY: '' }).mode).toBe('demo');
  });

  it('refuses one key without the other, naming the missing one', () => {
    expect(problemsOf({ DISCORD_TOKEN: 'token' })).toEqual([
      expect.stringMatching(/^OPENROUTER_API_KEY: required when DISCORD_TOKEN is set/),
    ]);
    expect(problemsOf({ OPENROUTER_API_KEY: 'key' })[0]).toMatch(/^DISCORD_TOKEN: required/);
  });

  it('lists every invalid value at once', () => {
    const problems = problemsOf({ LOG_LEVEL: 'LOUD', SHUTDOWN_DEADLINE_MS: '-5', OPENROUTER_MODELS: ' , ' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(problems.join('\n')).toMatch(/SHUTDOWN_DEADLINE_MS/);
    expect(problems.join('\n')).toMatch(/OPENROUTER_MODELS: needs at least one model id/);
  });

  it('parses the model ladder from a comma-separated list', () => {
    expect(loadConfig({ OPENROUTER_MODELS: 'a/one, b/two ,c/three' }).OPENROUTER_MODELS).toEqual([
      'a/one',
      'b/two',
      'c/three',
    ]);
  });
});
