/**
 * What the offline demo prints: each scene's title, then the conversation — the user's message,
 * the bot's reply with its path, model and latency — and any failover told in words
 * ("gpt-4o-mini 503 ×2 → breaker open → claude-3.5-haiku"). The facts come from the bot's own
 * `pipeline_complete` log events and the OpenRouter client's events, never from the script.
 */
import type { LogEvent, LogSink, OpenRouterClient } from 'chatlane';
import type { FakeDiscordMessage } from 'chatlane/testing';

/** Characters of a reply shown before it is cut (the full reply is in Discord / the fake). */
const REPLY_PREVIEW_CHARS = 100;
const INDENT = '        ';

/** One hop of a call's way through the models. */
type Hop =
  | { kind: 'failed'; model: string; why: string }
  | { kind: 'breaker_open'; model: string }
  | { kind: 'moved_to'; model: string };

/** `openai/gpt-4o-mini` → `gpt-4o-mini`. */
export function shortModel(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1);
}

/** Why an attempt failed, in a word: the HTTP status, `breaker open`, or the error code. */
function reasonOf(error: Error): string {
  const { status, code } = error as { status?: unknown; code?: unknown };
  if (typeof status === 'number') return String(status);
  if (typeof code === 'string' && /BREAKER|CIRCUIT/.test(code)) return 'breaker open';
  return typeof code === 'string' ? code.toLowerCase() : error.name;
}

/**
 * The failover of one call in words: repeated failures counted (`503 ×2`), the breaker opening,
 * and the model that answered. `undefined` when the first model answered at the first attempt.
 */
export function failoverStory(hops: readonly Hop[], answeredBy: string | undefined): string | undefined {
  if (hops.length === 0) return undefined;
  const words: string[] = [];
  let repeat = 1;
  hops.forEach((hop, i) => {
    const next = hops[i + 1];
    if (hop.kind === 'failed') {
      if (next?.kind === 'failed' && next.model === hop.model && next.why === hop.why) {
        repeat += 1;
        return;
      }
      words.push(`${shortModel(hop.model)} ${hop.why}${repeat > 1 ? ` ×${repeat}` : ''}`);
      repeat = 1;
    } else if (hop.kind === 'breaker_open') {
      const previous = hops[i - 1];
      const sameModel = previous?.kind === 'failed' && previous.model === hop.model;
      words.push(sameModel ? 'breaker open' : `${shortModel(hop.model)} breaker open`);
    }
    // A move to a model that then fails is told by that failure ("claude-3.5-haiku 503").
    else if (!(next?.kind === 'failed' && next.model === hop.model)) words.push(shortModel(hop.model));
  });
  const last = hops.at(-1);
  if (answeredBy !== undefined && last?.kind !== 'moved_to') {
    if (last?.model === answeredBy) words.push('retry');
    words.push(shortModel(answeredBy));
  }
  return words.join(' → ');
}

/** What the bot's `pipeline_complete` / `pipeline_failed` event said about one message. */
interface Answer {
  ok: boolean;
  path?: string;
  model?: string;
  totalMs?: number;
  firstTokenMs?: number;
}

/** Collects the facts of each scene and writes the conversation. */
export class DemoNarrator {
  readonly #out: NodeJS.WritableStream;
  readonly #answers = new Map<string, Answer>();
  #hops: Hop[] = [];

  constructor(out: NodeJS.WritableStream) {
    this.#out = out;
  }

  /** A log sink to pass to the bot's logger: it keeps each message's outcome. */
  readonly sink: LogSink = {
    write: (event: LogEvent) => {
      if (event.msg_id === null) return;
      if (event.event === 'pipeline_complete') this.#answers.set(event.msg_id, answerOf(event.detail));
      if (event.event === 'pipeline_failed') this.#answers.set(event.msg_id, { ok: false });
    },
  };

  /** Follows the client's retries, fallbacks and breakers. */
  follow(llm: OpenRouterClient): void {
    llm.on('retry', ({ model, error }) => this.#hops.push({ kind: 'failed', model, why: reasonOf(error) }));
    llm.on('breakerOpen', ({ model }) => this.#hops.push({ kind: 'breaker_open', model }));
    llm.on('fallback', ({ from, to, error }) => {
      const why = reasonOf(error);
      const previous = this.#hops.at(-1);
      // A model skipped because its breaker is open, or its last failed attempt before moving on.
      if (why === 'breaker open') {
        if (previous?.kind !== 'breaker_open') this.#hops.push({ kind: 'breaker_open', model: from });
      } else if (previous?.kind !== 'breaker_open') this.#hops.push({ kind: 'failed', model: from, why });
      this.#hops.push({ kind: 'moved_to', model: to });
    });
  }

  /** Prints a scene's title and the user's message; starts collecting its failover. */
  scene(index: number, total: number, title: string, user: string, message: string): void {
    this.#hops = [];
    this.#out.write(`\nScene ${index}/${total} · ${title}\n  ${user} › ${message}\n`);
  }

  /** Prints the bot's reply to `messageId` and what it took. */
  reply(messageId: string, reply: readonly FakeDiscordMessage[]): void {
    const answer = this.#answers.get(messageId) ?? { ok: false };
    const story = failoverStory(this.#hops, answer.model);
    if (story !== undefined) this.#out.write(`  failover: ${story}\n`);
    const text = reply.map((message) => message.content).join('\n');
    const parts = reply.length > 1 ? ` (${reply.length} messages, ${text.length} characters)` : '';
    this.#out.write(`  bot › ${preview(text)}${parts}\n`);
    this.#out.write(`${INDENT}${facts(answer)}\n`);
  }
}

function answerOf(detail: Record<string, unknown>): Answer {
  const phases = (detail.phases ?? {}) as Record<string, unknown>;
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const answer: Answer = { ok: detail.ok !== false };
  const path = text(detail.path);
  const model = text(detail.model);
  const totalMs = number(detail.total_duration_ms);
  const firstTokenMs = number(phases.llm_first_token);
  if (path !== undefined) answer.path = path;
  if (model !== undefined) answer.model = model;
  if (totalMs !== undefined) answer.totalMs = totalMs;
  if (firstTokenMs !== undefined) answer.firstTokenMs = firstTokenMs;
  return answer;
}

/** `full path · claude-3.5-haiku · 1687 ms (first token 1330 ms)`. */
function facts(answer: Answer): string {
  const parts = [
    answer.ok ? undefined : 'no answer (polite failure reply)',
    answer.path === undefined ? undefined : `${answer.path} path`,
    answer.model === undefined ? undefined : shortModel(answer.model),
    answer.totalMs === undefined ? undefined : `${Math.round(answer.totalMs)} ms`,
  ].filter((part) => part !== undefined);
  const first =
    answer.firstTokenMs === undefined ? '' : ` (first token ${Math.round(answer.firstTokenMs)} ms)`;
  return `${parts.join(' · ')}${first}`;
}

/** The first line of a reply, cut to {@link REPLY_PREVIEW_CHARS}. */
function preview(text: string): string {
  const firstLine = text.split('\n')[0] ?? '';
  const cut = firstLine.length > REPLY_PREVIEW_CHARS || text.includes('\n');
  return cut ? `${firstLine.slice(0, REPLY_PREVIEW_CHARS).trimEnd()} …` : firstLine;
}
