/** Times a streamed reply's phases (first token, generation, delivery) on a PhaseTimer. */
import type { PhaseTimer } from './phase-timer.ts';
import { PHASES } from './phases.ts';

/** An item of a timed stream: text, or a `{ type }` item (`delta` carries text; `done` ends it). */
export type TimedStreamItem = string | { readonly type: string };

/** What {@link timeStream} returns: the source's items, timed as they pass. */
export interface TimedStream<T extends TimedStreamItem> extends AsyncIterable<T> {
  /** The source's `{ type: 'done' }` item once it arrived (OpenRouter: model, usage, ttftMs). */
  readonly done: Extract<T, { readonly type: 'done' }> | undefined;
  /**
   * Ends the delivery phase (`PHASES.DISCORD`): call it when the consumer has delivered the last
   * item (e.g. `DiscordSender.stream` resolved). Idempotent; before the source ended, the
   * delivery phase is then not recorded at all.
   */
  delivered(): void;
}

/** True for an item carrying text: a string, or a `delta` item. */
function isText(item: TimedStreamItem): boolean {
  return typeof item === 'string' || item.type === 'delta';
}

/**
 * Wraps a streamed source so `timer` records its phases: from the first read, `PHASES.LLM`
 * (until the source ends, also by an error) and `PHASES.LLM_FIRST_TOKEN` (until the first text
 * item); then `PHASES.DISCORD` from the source's end until {@link TimedStream.delivered}. A
 * source that yields no text records no first-token phase (it stays open, out of the summary),
 * so an SLO is never fed a time to first token that did not happen. Items pass through
 * unchanged, errors too. Iterate it once: a second iteration finds the phases already ended
 * (`PhaseTimerError`).
 *
 * @example
 * const llm = timeStream(timer, client.stream({ model, messages }, { signal }));
 * const reply = await sender.stream(target, llm, { replyTo: message.id });
 * llm.delivered();
 */
export function timeStream<T extends TimedStreamItem>(
  timer: PhaseTimer,
  source: AsyncIterable<T>,
): TimedStream<T> {
  let done: Extract<T, { readonly type: 'done' }> | undefined;
  let deliveredEarly = false;
  async function* timed(): AsyncGenerator<T, void, undefined> {
    timer.start(PHASES.LLM);
    timer.start(PHASES.LLM_FIRST_TOKEN);
    try {
      for await (const item of source) {
        if (isText(item) && timer.isOpen(PHASES.LLM_FIRST_TOKEN)) timer.end(PHASES.LLM_FIRST_TOKEN);
        if (typeof item !== 'string' && item.type === 'done') done = item as typeof done;
        yield item;
      }
    } finally {
      if (timer.isOpen(PHASES.LLM)) timer.end(PHASES.LLM);
      if (!deliveredEarly) timer.start(PHASES.DISCORD);
    }
  }
  return {
    get done() {
      return done;
    },
    [Symbol.asyncIterator]: () => timed(),
    delivered() {
      if (timer.isOpen(PHASES.DISCORD)) timer.end(PHASES.DISCORD);
      else deliveredEarly = true;
    },
  };
}
