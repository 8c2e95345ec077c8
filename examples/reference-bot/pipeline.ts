/**
 * One message through the whole pipeline, each primitive met once, in order:
 * PhaseTimer → FastPathRouter → (SessionCache ∥ TemplateCache) → OpenRouterClient.stream →
 * DiscordSender.stream → SessionCache.append → pipeline_complete → SloMonitor.
 * Composition only: timing the stream, typing, the failure notice and store outages are the
 * primitives' work (`timeStream`, `typing: 'until-first-text'`, `failure`, the cache's fallback).
 */
import {
  type ChatMessage,
  logPipelineComplete,
  PHASES,
  PhaseTimer,
  timeStream,
  userFacingFailure,
} from 'chatlane';
import { systemPrompt } from './prompt.ts';
import type { IncomingMessage, PipelineOutcome, PipelineParts } from './types.ts';

export type { IncomingMessage, PipelineOutcome, PipelineParts, Profile } from './types.ts';

/**
 * Answers one message; never throws — a failure ends in a polite reply and an error log.
 * `claimed`: the caller already holds the message (the reply journal accepted it).
 */
export async function answerMessage(
  parts: PipelineParts,
  msg: IncomingMessage,
  signal: AbortSignal,
  { claimed = false }: { claimed?: boolean } = {},
): Promise<PipelineOutcome> {
  const log = parts.logger.child({ guild_id: msg.guildId, user_id: msg.authorId, msg_id: msg.id });
  const timer = new PhaseTimer({ logger: log });
  const corr = { corr_id: timer.corrId };
  const outcome: PipelineOutcome = { corrId: timer.corrId, ok: false };
  // A replayed MESSAGE_CREATE is answered once (only an abort, at shutdown, fails the claim).
  if (!claimed && !(await parts.sessions.claimMessage(msg.id, { signal }).catch(() => !signal.aborted))) {
    log.info(corr, 'duplicate_message_ignored');
    return { ...outcome, duplicate: true };
  }
  timer.start(PHASES.PIPELINE);
  const target = { channelId: msg.channelId, dm: msg.isDM };
  const conversation = {
    isDM: msg.isDM,
    guildId: msg.guildId,
    channelId: msg.channelId,
    userId: msg.authorId,
  };
  try {
    const route = await timer.time(PHASES.ROUTER, () => parts.router.route(routerInput(msg), { signal }));
    outcome.route = route;
    // A store that is down costs the history (the cache degrades, `storeError`), not the answer.
    const [history, system] = await Promise.all([
      route.skip.context
        ? []
        : timer.time(PHASES.CONTEXT, () => parts.sessions.getHistory(conversation, { signal })),
      timer.time(PHASES.PROMPT, () => systemPrompt(parts, msg, route, { log, corrId: timer.corrId, signal })),
    ]);
    const messages: ChatMessage[] = [
      { role: 'system', content: system },
      ...history,
      { role: 'user', content: msg.content },
    ];
    // The context comes back on the client's retry/fallback/reset events: their log lines name this message.
    const context = { ...corr, guild_id: msg.guildId, user_id: msg.authorId, msg_id: msg.id };
    const llm = timeStream(timer, parts.llm.stream({ model: route.model, messages }, { signal, context }));
    const reply = await parts.sender.stream(target, llm, {
      replyTo: msg.id,
      signal,
      typing: 'until-first-text',
    });
    llm.delivered();
    outcome.model = llm.done?.model ?? route.model;
    if (reply.failure) {
      // The user saw no notice (Discord refused a part, or the notice): the apology below says it.
      if (!reply.failure.noticeShown) throw reply.failure.error;
      log.error({ ...corr, error: reply.failure.error }, 'pipeline_failed');
      return outcome;
    }
    outcome.ok = true;
    // The answer is out: a store failing now is logged, never turned into a second (apology) reply.
    await parts.sessions
      .append(conversation, { role: 'user', content: msg.content })
      .then(() => parts.sessions.append(conversation, { role: 'assistant', content: reply.text }))
      .catch((error: unknown) => log.warn({ ...corr, error }, 'history_append_failed'));
  } catch (error) {
    log.error({ ...corr, error }, 'pipeline_failed');
    await parts.sender
      .send(target, userFacingFailure(error), { replyTo: msg.id })
      .catch((sendError: unknown) => log.critical({ ...corr, error: sendError }, 'apology_failed'));
  } finally {
    if (timer.isOpen(PHASES.PIPELINE)) timer.end(PHASES.PIPELINE);
    const summary = timer.summary();
    const extra = { ok: outcome.ok, path: outcome.route?.path, model: outcome.model };
    logPipelineComplete(log, summary, { guildId: msg.guildId, userId: msg.authorId, msgId: msg.id }, extra);
    parts.slo.recordSummary(summary);
  }
  return outcome;
}

function routerInput(msg: IncomingMessage) {
  const { content: text, isDM, hasAttachments, mentionsBot, authorId: userId } = msg;
  return { text, isDM, hasAttachments, mentionsBot, userId, guildId: msg.guildId ?? undefined };
}
