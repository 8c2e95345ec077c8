/**
 * What the offline demo's fake model answers, and the conversation it plays. The answers are
 * canned; everything else (routing, caching, retries, fallback, streaming, splitting) is real.
 */
import type { FakeBehaviour, FakeRecordedRequest } from 'chatlane/testing';

const CODE_ANSWER = (() => {
  const lines = [
    'Here is a small retry helper with exponential backoff and full jitter:',
    '',
    '```ts',
    'export interface RetryOptions {',
    '  retries: number;',
    '  baseMs: number;',
    '  capMs: number;',
    '}',
    '',
  ];
  for (let i = 1; i <= 24; i++) {
    lines.push(`/** Step ${i}: waits a random time in [0, min(cap, base * 2^${i}))]. */`);
    lines.push(
      `export const delay${i} = (o: RetryOptions) => Math.random() * Math.min(o.capMs, o.baseMs * 2 ** ${i});`,
    );
  }
  lines.push('```', '', 'Each attempt waits longer, and the jitter keeps clients from retrying in lockstep.');
  return lines.join('\n');
})();

function lastUserText(request: FakeRecordedRequest): string {
  const messages = (request.body.messages ?? []) as Array<{ role: string; content: unknown }>;
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
}

/** The fake model's answer to a request. */
export function demoReply(request: FakeRecordedRequest): string {
  const text = lastUserText(request).toLowerCase();
  if (text.includes('code') || text.includes('function')) return CODE_ANSWER;
  if (text.includes('breaker')) {
    return 'A circuit breaker counts consecutive failures of a dependency. After a threshold it "opens" and fails fast for a cooldown, then lets one probe through: success closes it, failure reopens it. It keeps a sick model from slowing every request.';
  }
  return `Hello! You said: "${lastUserText(request).slice(0, 80)}". How can I help?`;
}

/**
 * Realistic model timing: ~400 ms to the first token, then ~200 tokens/s; 10 % transient 503s
 * (seeded, so every run is the same), which the client's retry hides from the user.
 */
export const DEMO_BEHAVIOUR: FakeBehaviour = {
  reply: demoReply,
  latencyMs: 60,
  ttftMs: 400,
  tokenIntervalMs: 5,
  failureRatio: 0.1,
  seed: 4,
  failure: { status: 503 },
};

/** One step of the scripted conversation. */
export interface DemoStep {
  /** The scene's title, printed before it plays. */
  label: string;
  where: 'dm' | 'guild';
  content: string;
  /** During this step the primary model answers every request with a 503 (an outage). */
  primaryDown?: boolean;
}

export const DEMO_STEPS: DemoStep[] = [
  { label: 'A short DM: the fast path skips history and profile', where: 'dm', content: 'hi there!' },
  {
    label: 'A DM question: the full path, streamed into one message',
    where: 'dm',
    content: 'Can you explain what a circuit breaker does in an HTTP client?',
  },
  {
    label: 'A guild mention asking for code: a long reply split across messages',
    where: 'guild',
    content: 'write a retry helper function in TypeScript, with code please',
  },
  {
    label: 'The primary model goes down (503): the call is retried, then falls back',
    where: 'guild',
    content: 'how does the breaker help during an outage?',
    primaryDown: true,
  },
  {
    label: "Still down: a second failed call opens the primary model's breaker",
    where: 'dm',
    content: 'is the first model still down?',
    primaryDown: true,
  },
  {
    label: 'Breaker open: the primary is skipped at once, no time lost on it',
    where: 'dm',
    content: 'thanks, that was helpful',
  },
];
