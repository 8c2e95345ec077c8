/**
 * One message through the whole pipeline, each primitive met once, in order:
 * PhaseTimer → FastPathRouter → (SessionCache ∥ TemplateCache) → OpenRouterClient.stream →
 * DiscordSender.stream → SessionCache.append → pipeline_complete → SloMonitor.
 */
import {
  type ChatMessage,
  type DiscordSender,
  type FastPathRouter,
  type Logger,
  logPipelineComplete,
  type OpenRouterClient,
  type OpenRouterStreamItem,
  PHASES,
  PhaseTimer,
  type RouteDecision,
  type SessionCache,
  type SloMonitor,
  type TemplateCache,
  userFacingFailure,
} from 'chatlane';
import { SYSTEM_PROMPT, SYSTEM_PROMPT_ID } from './prompt.ts';

/** What the pipeline needs to know about a Discord message. */
export interface IncomingMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  authorName: string;
  content: string;
  isDM: boolean;
  mentionsBot: boolean;
  hasAttachments: boolean;
}

/** A user profile as the bot stores it. */
export interface Profile {
  displayName: string;
  locale: string;
}

/** The primitives the pipeline assembles. */
export interface PipelineParts {
  logger: Logger;
  router: FastPathRouter;
  sessions: SessionCache<Profile>;
  templates: TemplateCache;
  llm: OpenRouterClient;
  sender: DiscordSender;
  slo: SloMonitor;
}

/** How one message ended. */
export interface PipelineOutcome {
  corrId: string;
  ok: boolean;
  model?: string;
  route?: RouteDecision;
  /** True when the message had already been claimed (a replay): nothing was sent. */
  duplicate?: boolean;
}

/** The conversation a message belongs to: one per DM user, one per guild channel. */
export function conversationKey(msg: IncomingMessage): string {
  return msg.isDM ? `dm:${msg.authorId}` : `guild:${msg.guildId}:${msg.channelId}`;
}

/** Answers one message; never throws — a failure ends in a polite reply and an error log. */
export async function answerMessage(
  parts: PipelineParts,
  msg: IncomingMessage,
  signal: AbortSignal,
): Promise<PipelineOutcome> {
  const log = parts.logger.child({ guild_id: msg.guildId, user_id: msg.authorId, msg_id: msg.id });
  const timer = new PhaseTimer({ logger: log });
  const outcome: PipelineOutcome = { corrId: timer.corrId, ok: false };
  // A replayed MESSAGE_CREATE (gateway resume, reconnect, second listener) is answered once.
  if (!(await isFirstDelivery(parts, msg, log, timer.corrId, signal))) return { ...outcome, duplicate: true };
  timer.start(PHASES.PIPELINE);
  try {
    const route = await timer.time(PHASES.ROUTER, () => parts.router.route(toRouterInput(msg), { signal }));
    outcome.route = route;
    const [history, system] = await Promise.all([
      route.skip.context
        ? []
        : timer.time(PHASES.CONTEXT, () => loadHistory(parts, msg, log, timer.corrId, signal)),
      timer.time(PHASES.PROMPT, async () => renderSystemPrompt(parts, msg, route, log, timer.corrId, signal)),
    ]);
    const messages: ChatMessage[] = [
      { role: 'system', content: system },
      ...history,
      { role: 'user', content: msg.content },
    ];
    const reply = await streamReply(parts, msg, route.model, messages, timer, signal);
    outcome.model = reply.model;
    if (reply.error !== undefined) {
      // The model failed and the sender ended the reply with the failure notice: the user knows,
      // only the log needs the details. Anything else (nothing delivered, or Discord refused a
      // part or the notice) leaves the user without an explanation: fall through to the apology.
      if (!reply.noticeShown) throw reply.error;
      log.error({ corr_id: timer.corrId, error: reply.error }, 'pipeline_failed');
      return outcome;
    }
    outcome.ok = true;
    await rememberExchange(parts, msg, reply.text, log, timer.corrId);
  } catch (error) {
    await replyWithApology(parts, msg, error, log, timer.corrId);
  } finally {
    if (timer.isOpen(PHASES.PIPELINE)) timer.end(PHASES.PIPELINE);
    const summary = timer.summary();
    const extra = { ok: outcome.ok, path: outcome.route?.path, model: outcome.model };
    logPipelineComplete(log, summary, { guildId: msg.guildId, userId: msg.authorId, msgId: msg.id }, extra);
    parts.slo.recordSummary(summary);
  }
  return outcome;
}

/** True the first time a message id is seen (by any process sharing the store); never throws. */
async function isFirstDelivery(
  parts: PipelineParts,
  msg: IncomingMessage,
  log: Logger,
  corrId: string,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    const first = await parts.sessions.claimMessage(msg.id, { signal });
    if (!first) log.info({ corr_id: corrId }, 'duplicate_message_ignored');
    return first;
  } catch (error) {
    // Only an abort or a closed cache gets here: the pipeline is shutting down, answer nothing twice.
    log.warn({ corr_id: corrId, error }, 'duplicate_check_failed');
    return !signal.aborted;
  }
}

function toRouterInput(msg: IncomingMessage) {
  return {
    text: msg.content,
    isDM: msg.isDM,
    hasAttachments: msg.hasAttachments,
    mentionsBot: msg.mentionsBot,
    userId: msg.authorId,
    guildId: msg.guildId ?? undefined,
  };
}

/** The conversation so far; when the store cannot give it, the answer goes on without context. */
async function loadHistory(
  parts: PipelineParts,
  msg: IncomingMessage,
  log: Logger,
  corrId: string,
  signal: AbortSignal,
): Promise<ChatMessage[]> {
  try {
    return await parts.sessions.getHistory(conversationKey(msg), { kind: msg.isDM ? 'dm' : 'guild', signal });
  } catch (error) {
    if (signal.aborted) throw error;
    log.warn({ corr_id: corrId, error }, 'history_unavailable');
    return [];
  }
}

async function renderSystemPrompt(
  parts: PipelineParts,
  msg: IncomingMessage,
  route: RouteDecision,
  log: Logger,
  corrId: string,
  signal: AbortSignal,
): Promise<string> {
  // Compiled once, then a cache hit (~0.1 µs) until its TTL; the profile loads meanwhile.
  const [template, profile] = await Promise.all([
    parts.templates.compile(SYSTEM_PROMPT_ID, SYSTEM_PROMPT, { signal }),
    route.skip.context ? undefined : loadProfile(parts, msg, log, corrId, signal),
  ]);
  return template.render({
    botName: 'chatlane',
    userName: profile?.displayName ?? msg.authorName,
    locale: profile?.locale ?? 'en',
    place: msg.isDM ? 'a direct message' : 'a server channel',
    brief: route.complexity === 'simple',
  });
}

/** The user's profile; without one (the loader failed) the prompt uses the name on the message. */
async function loadProfile(
  parts: PipelineParts,
  msg: IncomingMessage,
  log: Logger,
  corrId: string,
  signal: AbortSignal,
): Promise<Profile | undefined> {
  try {
    return await parts.sessions.getProfile(msg.authorId, { signal });
  } catch (error) {
    if (signal.aborted) throw error;
    log.warn({ corr_id: corrId, error }, 'profile_unavailable');
    return undefined;
  }
}

/** Streams the model's answer into Discord; the LLM phases are timed from the stream items. */
async function streamReply(
  parts: PipelineParts,
  msg: IncomingMessage,
  model: string,
  messages: ChatMessage[],
  timer: PhaseTimer,
  signal: AbortSignal,
) {
  let answeredBy = model;
  let sourceError: unknown;
  let firstText: () => void = () => undefined;
  const firstTextArrived = new Promise<void>((resolve) => (firstText = resolve));
  timer.start(PHASES.LLM);
  timer.start(PHASES.LLM_FIRST_TOKEN);
  async function* timed(source: AsyncIterable<OpenRouterStreamItem>): AsyncGenerator<OpenRouterStreamItem> {
    try {
      for await (const item of source) {
        if (item.type === 'delta' && timer.isOpen(PHASES.LLM_FIRST_TOKEN)) {
          timer.end(PHASES.LLM_FIRST_TOKEN);
          firstText();
        }
        if (item.type === 'done') answeredBy = item.model;
        yield item;
      }
    } catch (error) {
      sourceError = error;
      throw error;
    } finally {
      // Without a token there is no time to first token: that phase stays open, out of the summary.
      if (timer.isOpen(PHASES.LLM)) timer.end(PHASES.LLM);
      timer.start(PHASES.DISCORD);
      firstText();
    }
  }
  const target = { channelId: msg.channelId, dm: msg.isDM };
  const typing = parts.sender.withTyping(target, () => firstTextArrived, { signal }).catch(() => undefined);
  // The context comes back on the client's retry/fallback/reset events: their log lines name this message.
  const context = { corr_id: timer.corrId, guild_id: msg.guildId, user_id: msg.authorId, msg_id: msg.id };
  const source = parts.llm.stream({ model, messages }, { signal, recovery: 'reset', context });
  const result = await parts.sender.stream(target, timed(source), { replyTo: msg.id, signal });
  if (timer.isOpen(PHASES.DISCORD)) timer.end(PHASES.DISCORD);
  await typing;
  // The sender reports its own delivery failure first; only the model's error means the notice is out.
  const noticeShown =
    result.error !== undefined && result.error === sourceError && result.messageIds.length > 0;
  return { ...result, model: answeredBy, noticeShown };
}

/**
 * Appends the answered exchange to the history. The answer is already on Discord, so a failing
 * store is logged, never turned into a second (apology) reply.
 */
async function rememberExchange(
  parts: PipelineParts,
  msg: IncomingMessage,
  answer: string,
  log: Logger,
  corrId: string,
): Promise<void> {
  const key = conversationKey(msg);
  const scope = msg.guildId ? { guildId: msg.guildId } : {};
  try {
    await parts.sessions.append(key, { role: 'user', content: msg.content }, scope);
    await parts.sessions.append(key, { role: 'assistant', content: answer }, scope);
  } catch (error) {
    log.warn({ corr_id: corrId, error }, 'history_append_failed');
  }
}

async function replyWithApology(
  parts: PipelineParts,
  msg: IncomingMessage,
  error: unknown,
  log: Logger,
  corrId: string,
): Promise<void> {
  log.error({ corr_id: corrId, error }, 'pipeline_failed');
  try {
    await parts.sender.send({ channelId: msg.channelId, dm: msg.isDM }, userFacingFailure(error), {
      replyTo: msg.id,
    });
  } catch (sendError) {
    log.critical({ corr_id: corrId, error: sendError }, 'apology_failed');
  }
}
