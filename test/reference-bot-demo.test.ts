import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../examples/reference-bot/config.ts';
import { runDemo } from '../examples/reference-bot/demo.ts';
import { failoverStory } from '../examples/reference-bot/demo-narrate.ts';
import { DEMO_STEPS } from '../examples/reference-bot/demo-script.ts';

const MINI = 'openai/gpt-4o-mini';
const HAIKU = 'anthropic/claude-3.5-haiku';

describe('the demo tells a failover in words', () => {
  it('counts repeated failures, names the breaker and the model that answered', () => {
    const hops = [
      { kind: 'failed', model: MINI, why: '503' },
      { kind: 'failed', model: MINI, why: '503' },
      { kind: 'breaker_open', model: MINI },
      { kind: 'moved_to', model: HAIKU },
    ] as const;
    expect(failoverStory(hops, HAIKU)).toBe('gpt-4o-mini 503 ×2 → breaker open → claude-3.5-haiku');
  });

  it('tells a hidden retry, and a fallback model failing once', () => {
    expect(failoverStory([{ kind: 'failed', model: MINI, why: '503' }], MINI)).toBe(
      'gpt-4o-mini 503 → retry → gpt-4o-mini',
    );
    const hops = [
      { kind: 'failed', model: MINI, why: '503' },
      { kind: 'moved_to', model: HAIKU },
      { kind: 'failed', model: HAIKU, why: '503' },
    ] as const;
    expect(failoverStory(hops, HAIKU)).toBe(
      'gpt-4o-mini 503 → claude-3.5-haiku 503 → retry → claude-3.5-haiku',
    );
    expect(failoverStory([], MINI)).toBeUndefined();
    const skipped = [
      { kind: 'breaker_open', model: MINI },
      { kind: 'moved_to', model: HAIKU },
    ] as const;
    expect(failoverStory(skipped, HAIKU)).toBe('gpt-4o-mini breaker open → claude-3.5-haiku');
  });
});

describe('npm start (the offline demo) explains itself', () => {
  it('prints each scene title, the user message, the reply with path, model and latency, and the failover', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'chatlane-demo-'));
    let text = '';
    const out = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    try {
      const failures = await runDemo(loadConfig({ CHATLANE_LOG_DIR: logDir }), out);
      expect(failures).toBe(0);
      for (const [i, step] of DEMO_STEPS.entries()) {
        expect(text).toContain(`Scene ${i + 1}/${DEMO_STEPS.length} · ${step.label}`);
        expect(text).toContain(`ada › ${step.content}`);
      }
      expect(text).toMatch(
        /bot › Hello! You said: "hi there!"\. How can I help\?\n\s+fast path · gpt-4o-mini · \d+ ms/,
      );
      expect(text).toMatch(/failover: gpt-4o-mini 503 ×\d → (.* → )?breaker open → claude-3\.5-haiku/);
      expect(text).toMatch(/\(3 messages, \d+ characters\)/);
      expect(text).toContain('chatlane SLO · warming up');
      const [jsonl] = readdirSync(logDir).filter((name) => name.endsWith('.jsonl'));
      const completes = readFileSync(join(logDir, jsonl ?? ''), 'utf8').match(/"event":"pipeline_complete"/g);
      expect(completes).toHaveLength(DEMO_STEPS.length);
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  }, 60_000);
});
