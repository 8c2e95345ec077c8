import { FastPathRouter } from 'chatlane';
import { describe, expect, it } from 'vitest';

describe('FastPathRouter: messages with media are never chit-chat', () => {
  it('an attachment with no text (or a greeting) keeps context and RAG', async () => {
    const router = new FastPathRouter();
    for (const text of ['', '   ', 'thanks!', '🙂']) {
      const decision = await router.route({ text, isDM: true, hasAttachments: true });
      expect(decision).toMatchObject({ path: 'full', complexity: 'complex', reason: 'dm-attachments' });
      expect(decision.skip).toEqual({ context: false, rag: false, modality: false });
    }
  });

  it('an embed with a greeting is routed as an embed, with context kept', async () => {
    const router = new FastPathRouter();
    const decision = await router.route({ text: 'nice', isDM: true, hasEmbeds: true });
    expect(decision).toMatchObject({ path: 'full', complexity: 'moderate', reason: 'dm-embeds' });
    expect(decision.skip).toEqual({ context: false, rag: false, modality: false });
  });
});
