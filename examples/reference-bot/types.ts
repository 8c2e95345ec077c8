/** What the reference bot's pipeline works with: the message, the profile, the parts, the outcome. */
import type {
  DiscordSender,
  FastPathRouter,
  Logger,
  OpenRouterClient,
  RedisReplyJournal,
  RouteDecision,
  SessionCache,
  SloMonitor,
  TemplateCache,
} from 'chatlane';

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
  /** With SESSION_REDIS_URL: replies a dead process left are finished by a peer. */
  journal?: RedisReplyJournal<IncomingMessage>;
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
