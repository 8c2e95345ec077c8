import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.ts';
import { splitMessage } from './split.ts';
import { StreamDriver, type StreamItem } from './stream.ts';

/** `String.prototype.isWellFormed` (ES2024, in Node ≥ 20; the compile target's lib predates it). */
const isWellFormed = (text: string) => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** A driver whose creates and edits succeed at once, recording every content sent. */
function recordingDriver(sent: string[]): StreamDriver {
  let ids = 0;
  return new StreamDriver({
    clock: new ManualClock(),
    editIntervalMs: 0,
    errorNotice: 'failed',
    split: (text) => splitMessage(text, { maxChars: 200 }),
    create: async (content) => {
      sent.push(content);
      ids += 1;
      return { id: String(ids), content };
    },
    edit: async (_id, content) => {
      sent.push(content);
    },
    remove: async () => {},
    onStaleEdit: () => {},
  });
}

async function* chunks(list: string[]): AsyncIterable<StreamItem> {
  for (const chunk of list) {
    yield { type: 'delta', delta: chunk };
    await new Promise((resolve) => setImmediate(resolve)); // lets the driver flush between chunks
  }
}

/** Cuts `text` at the given UTF-16 offsets, so surrogate pairs may land in two chunks. */
function cutAt(text: string, offsets: number[]): string[] {
  const cuts = [...new Set(offsets.map((offset) => offset % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    if (cut > from) pieces.push(text.slice(from, cut));
    from = Math.max(from, cut);
  }
  return pieces;
}

describe('StreamDriver', () => {
  it('sends a well-formed text in every create and edit when a source splits surrogate pairs', async () => {
    const symbol = fc.constantFrom('a', ' ', '\n', 'é', '🚀', '👩‍👩‍👧', '𝄞', '```');
    const text = fc.array(symbol, { minLength: 1, maxLength: 120 }).map((symbols) => `x${symbols.join('')}`);
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 40 }), async (full, offsets) => {
        const sent: string[] = [];
        const outcome = await recordingDriver(sent).run(chunks(cutAt(full, offsets)));
        expect(outcome.text).toBe(full);
        for (const content of sent) expect(isWellFormed(content)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('holds a trailing high surrogate back until its pair arrives', async () => {
    const sent: string[] = [];
    await recordingDriver(sent).run(chunks(['Hi \uD83D', '\uDE80!']));
    expect(sent).toEqual(['Hi ', 'Hi 🚀!']);
  });
});
