/**
 * The Discord side of the bot: which messages it answers, and graceful shutdown. Each answered
 * message runs `answerMessage` as a tracked task, so shutdown can let it finish.
 */
import { ClosedError, InFlight, newCorrId, userFacingFailure } from 'chatlane';
import { type Client, Events, type Message } from 'discord.js';
import { answerJournaled, recoverReply } from './journal.ts';
import type { IncomingMessage, PipelineOutcome, PipelineParts } from './pipeline.ts';

/** Options of {@link attachBot}. */
export interface AttachOptions {
  /** Called after each answered message (the demo and the tests wait on it). */
  onAnswered?: (outcome: PipelineOutcome, message: IncomingMessage) => void;
}

/** A running bot. */
export interface RunningBot {
  /** Messages being answered now. */
  readonly inFlight: InFlight;
  /** Stops taking messages and waits up to `deadlineMs` for the replies in flight. */
  stop(deadlineMs: number): Promise<{ finished: number; abandoned: number }>;
}

/** The text a user typed, without the bot's own mention. */
function withoutMention(content: string, botId: string): string {
  return content.replaceAll(new RegExp(`<@!?${botId}>`, 'g'), '').trim();
}

/** Answers DMs, and guild messages that mention the bot; ignores bots, itself and the rest. */
export function shouldAnswer(message: Message, botId: string): boolean {
  if (message.author.bot || message.author.id === botId) return false;
  return message.guildId === null || message.mentions.users.has(botId);
}

function toIncoming(message: Message, botId: string): IncomingMessage {
  return {
    id: message.id,
    channelId: message.channelId,
    guildId: message.guildId,
    authorId: message.author.id,
    authorName: message.author.globalName ?? message.author.username,
    content: withoutMention(message.content, botId),
    isDM: message.guildId === null,
    mentionsBot: message.mentions.users.has(botId),
    hasAttachments: message.attachments.size > 0,
  };
}

/** Wires the pipeline to a discord.js Client (logged in, or about to be: messages count once it is ready). */
export function attachBot(client: Client, parts: PipelineParts, options: AttachOptions = {}): RunningBot {
  const inFlight = new InFlight();
  const onMessage = (message: Message) => {
    const botId = client.user?.id;
    if (botId === undefined || !shouldAnswer(message, botId)) return;
    const incoming = toIncoming(message, botId);
    // Only a refused task gets the resend reply: a throwing `onAnswered` must not add a second one.
    inFlight
      .run((signal) => answerJournaled(parts, incoming, signal))
      .then(
        (outcome) => notifyAnswered(parts, options, outcome, incoming),
        (error: unknown) => refuse(parts, incoming, error),
      );
  };
  client.on(Events.MessageCreate, onMessage);
  // Replies a dead process left (SESSION_REDIS_URL): finished here; a rejection leaves them journaled.
  parts.journal?.recover(async (entry) => {
    const outcome = await inFlight.run((signal) => recoverReply(parts, entry, signal));
    notifyAnswered(parts, options, outcome, entry.payload);
  });
  return {
    inFlight,
    async stop(deadlineMs) {
      // Messages arriving during the drain still get a reply (asking to resend), then none are taken.
      const drained = await inFlight.drain(deadlineMs);
      client.off(Events.MessageCreate, onMessage);
      return drained;
    },
  };
}

/** Calls `onAnswered`; its failure is logged, never turned into another reply. */
function notifyAnswered(
  parts: PipelineParts,
  options: AttachOptions,
  outcome: PipelineOutcome,
  msg: IncomingMessage,
): void {
  try {
    options.onAnswered?.(outcome, msg);
  } catch (error) {
    const log = parts.logger.child({ guild_id: msg.guildId, user_id: msg.authorId, msg_id: msg.id });
    log.warn({ corr_id: outcome.corrId, error }, 'on_answered_failed');
  }
}

/** A message that arrived while shutting down still gets a reply (and a log line). */
async function refuse(parts: PipelineParts, msg: IncomingMessage, error: unknown): Promise<void> {
  const log = parts.logger.child({ guild_id: msg.guildId, user_id: msg.authorId, msg_id: msg.id });
  const corrId = newCorrId(); // no pipeline ran, but its log lines still share a corr id
  const shuttingDown = error instanceof ClosedError;
  log.warn({ corr_id: corrId, error, shutting_down: shuttingDown }, 'message_not_answered');
  const text = shuttingDown
    ? "I'm restarting — please send that again in a minute."
    : userFacingFailure(error);
  await parts.sender
    .send({ channelId: msg.channelId, dm: msg.isDM }, text, { replyTo: msg.id })
    .catch((sendError: unknown) => log.critical({ corr_id: corrId, error: sendError }, 'apology_failed'));
}
