/**
 * Fault plans for the fake OpenRouter and the bad inputs of the reliability suite. A plan is a
 * seeded queue of behaviours, one per request to a model: the same seed gives the same faults.
 */
import { type FakeBehaviour, type FakeRecordedRequest, seededRandom } from 'chatlane/testing';
import { echoBehaviour, tagOf } from '../helpers/pipeline-rig.ts';
import { HUGE_INPUT_CHARS, OPENROUTER_RETRY_AFTER_S } from './settings.ts';

/** The transient faults injected, by name (the table lists them). */
export const TRANSIENT_FAULTS: Record<string, FakeBehaviour> = {
  '500': { status: 500 },
  '503': { status: 503 },
  '429 + Retry-After': { status: 429, retryAfter: OPENROUTER_RETRY_AFTER_S },
  'reset before headers': { disconnect: 'before_headers' },
  'stall before headers': { stall: 'before_headers' },
  'stall after 1st token': { stall: { afterTokens: 1 } },
  'malformed JSON': { malformed: true },
  'malformed chunk mid-stream': { malformed: { afterTokens: 1 } },
  'mid-stream drop': { disconnect: { afterTokens: 1 } },
  'in-band error mid-stream': { midStreamError: { afterTokens: 1, code: 502 } },
};

/**
 * A queue of `length` echo behaviours where each request independently gets, with probability
 * `ratio`, one of the {@link TRANSIENT_FAULTS} (uniformly); the last entry (repeated once the queue
 * is used up) is a clean answer.
 */
export function transientPlan(length: number, ratio: number, seed: number): FakeBehaviour[] {
  const random = seededRandom(seed);
  const faults = Object.values(TRANSIENT_FAULTS);
  const plan: FakeBehaviour[] = [];
  for (let i = 0; i < length; i += 1) {
    const fault = random() < ratio ? faults[Math.floor(random() * faults.length)] : undefined;
    plan.push(echoBehaviour(fault ?? {}));
  }
  plan.push(echoBehaviour());
  return plan;
}

/** Mentions a model might write: every one must reach Discord with pings disabled. */
export const MODEL_MENTIONS = '@everyone @here <@410000000000000042> <@&410000000000000043>';

/** Template syntax a user might type: it must reach the model literally, never rendered. */
export const TEMPLATE_TEXT = '{{userName}} {{#if brief}}short{{else}}long{{/if}} {{#section x}} {{ {{/if}}';

/** The bad inputs, cycled over the messages; `n` makes each one's tag unique. */
export const BAD_INPUTS: Array<[kind: string, content: (n: number) => string]> = [
  ['empty', () => ''],
  [
    '100 KB',
    (n) => `b${n} ${'lorem ipsum '.repeat(Math.ceil(HUGE_INPUT_CHARS / 12))}`.slice(0, HUGE_INPUT_CHARS),
  ],
  ['control characters', (n) => `b${n} \u0000\u0001\u0007\u001b[31mred\u001b[0m\r\u007f\u0085 end`],
  ['invalid surrogates', (n) => `b${n} lone \uD800 high, lone \uDFFF low, swapped \uDC00\uD800`],
  ['mentions in user text', (n) => `b${n} @everyone @here <@410000000000000044> <@&410000000000000045>`],
  ['template syntax in user text', (n) => `b${n} ${TEMPLATE_TEXT}`],
];

/** The tag the bad-input model answers with (`empty` for a message without words). */
export function badInputTag(content: string): string {
  return tagOf(content) || 'empty';
}

/** The whole answer to a bad input: its tag, and mentions the sender must not let ping. */
export function badInputReply(content: string): string {
  return `ok ${badInputTag(content)} ${MODEL_MENTIONS}`;
}

/**
 * The bad-input model: answers {@link badInputReply}; a message whose template syntax did not
 * arrive literally gets `rendered` appended (so it counts as a wrong answer).
 */
export function badInputBehaviour(): FakeBehaviour {
  return {
    reply: (request: FakeRecordedRequest) => {
      const messages = request.body.messages as Array<{ role: string; content: string }>;
      const content = messages.at(-1)?.content ?? '';
      const literal = !content.includes('{{') || content.includes(TEMPLATE_TEXT);
      return `${badInputReply(content)}${literal ? '' : ' rendered'}`;
    },
  };
}
