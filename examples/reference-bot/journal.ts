/**
 * Crash-safe replies (with SESSION_REDIS_URL): a message is accepted in the shared reply journal
 * before it is answered and completed after; a message whose process died is taken over here —
 * answered again, or, when older than REPLY_MAX_AGE_MS, apologised for. Either way it goes through
 * `DiscordSender.stream` with the same `replyTo`, so the half reply the dead process left is edited
 * into the whole answer (same create nonce), never posted twice.
 */
import { AbortError, type JournalEntry, newCorrId } from 'chatlane';
import { answerMessage } from './pipeline.ts';
import type { IncomingMessage, PipelineOutcome, PipelineParts } from './types.ts';

const TOO_LATE =
  "Sorry — I lost track of this message while restarting, and it's too late to answer it now. Please ask again.";

/** Answers `msg` once across every process: accept, answer, complete (unless interrupted). */
export async function answerJournaled(
  parts: PipelineParts,
  msg: IncomingMessage,
  signal: AbortSignal,
): Promise<PipelineOutcome> {
  const journal = parts.journal;
  const log = parts.logger.child({ guild_id: msg.guildId, user_id: msg.authorId, msg_id: msg.id });
  if (!journal) return answerMessage(parts, msg, signal);
  let accepted: boolean;
  try {
    accepted = await journal.accept(msg.id, msg);
  } catch (error) {
    // Redis is down: answer anyway (the claim still de-duplicates), without crash safety.
    log.warn({ error }, 'journal_unavailable');
    return answerMessage(parts, msg, signal);
  }
  if (!accepted) {
    log.info({}, 'duplicate_message_ignored');
    return { corrId: newCorrId(), ok: false, duplicate: true };
  }
  const outcome = await answerMessage(parts, msg, signal, { claimed: true });
  // Interrupted by shutdown: left in the journal, so a peer (or this bot, restarted) answers it.
  if (!signal.aborted)
    await journal.complete(msg.id).catch((error: unknown) => log.warn({ error }, 'journal_complete_failed'));
  return outcome;
}

/** Finishes a message a dead process left; rejects when interrupted, so the journal keeps it. */
export async function recoverReply(
  parts: PipelineParts,
  entry: JournalEntry<IncomingMessage>,
  signal: AbortSignal,
): Promise<PipelineOutcome> {
  const msg = entry.payload;
  const outcome = entry.expired
    ? await apologise(parts, msg, signal)
    : await answerMessage(parts, msg, signal, { claimed: true });
  if (signal.aborted) throw new AbortError('The recovered reply was interrupted');
  return outcome;
}

async function apologise(
  parts: PipelineParts,
  msg: IncomingMessage,
  signal: AbortSignal,
): Promise<PipelineOutcome> {
  async function* apology() {
    yield { type: 'delta' as const, delta: TOO_LATE };
  }
  const target = { channelId: msg.channelId, dm: msg.isDM };
  await parts.sender.stream(target, apology(), { replyTo: msg.id, signal });
  return { corrId: newCorrId(), ok: false };
}
