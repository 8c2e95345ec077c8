/**
 * The built-in routing rules: cheap, synchronous, and total (any input gives a decision). Each
 * threshold and pattern is a named constant in `src/constants.ts`.
 */
import {
  ROUTER_CHITCHAT_MAX_CHARS,
  ROUTER_CHITCHAT_PATTERN,
  ROUTER_CODE_BLOCK_PATTERN,
  ROUTER_COMPLEX_LINES,
  ROUTER_EMOJI_ONLY_PATTERN,
  ROUTER_MAX_SCAN_CHARS,
  ROUTER_RETRIEVAL_PATTERN,
  ROUTER_URL_PATTERN,
} from '../constants.ts';
import type { RouteComplexity, RouteMessage, RoutePath, RouteSkip } from './types.ts';

/** Thresholds the heuristics use (from the router options). */
export interface HeuristicLimits {
  shortTextChars: number;
  longTextChars: number;
  guildFastPath: boolean;
}

/** What the heuristics look at. */
export interface MessageFeatures {
  chars: number;
  lines: number;
  codeBlock: boolean;
  url: boolean;
  retrieval: boolean;
  chitChat: boolean;
  attachments: boolean;
  embeds: boolean;
  isDM: boolean;
}

/** A decision before model choice and timing. */
export interface HeuristicDecision {
  path: RoutePath;
  complexity: RouteComplexity;
  skip: RouteSkip;
  reason: string;
}

/**
 * Coerces anything into a well-formed {@link RouteMessage}; never throws. A property whose getter
 * (or Proxy trap) throws is read as absent, and the first such error goes to `onReadError`.
 */
export function normalizeMessage(input: unknown, onReadError?: (error: unknown) => void): RouteMessage {
  let failed = false;
  const read = (key: keyof RouteMessage): unknown => {
    if (input === null || typeof input !== 'object') return undefined;
    try {
      return (input as Partial<Record<string, unknown>>)[key];
    } catch (error) {
      if (!failed) onReadError?.(error);
      failed = true;
      return undefined;
    }
  };
  const text = read('text');
  const message: RouteMessage = {
    text: typeof text === 'string' ? text : '',
    isDM: read('isDM') === true,
    hasAttachments: read('hasAttachments') === true,
    hasEmbeds: read('hasEmbeds') === true,
    mentionsBot: read('mentionsBot') === true,
  };
  const userId = read('userId');
  const guildId = read('guildId');
  if (typeof userId === 'string') message.userId = userId;
  if (typeof guildId === 'string') message.guildId = guildId;
  return message;
}

function countLines(text: string, stopAfter: number): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1 && lines <= stopAfter; at = text.indexOf('\n', at + 1))
    lines += 1;
  return lines;
}

/**
 * Reads the features of a message; only the first `ROUTER_MAX_SCAN_CHARS` characters are scanned.
 * A message with attachments or embeds is never chit-chat.
 */
export function extractFeatures(message: RouteMessage): MessageFeatures {
  const full = message.text;
  const text = full.length > ROUTER_MAX_SCAN_CHARS ? full.slice(0, ROUTER_MAX_SCAN_CHARS) : full;
  const trimmed = text.trim();
  const attachments = message.hasAttachments === true;
  const embeds = message.hasEmbeds === true;
  // A message carrying media is about that media (context and RAG matter), whatever its text.
  const chitChat =
    !attachments &&
    !embeds &&
    trimmed.length <= ROUTER_CHITCHAT_MAX_CHARS &&
    (trimmed === '' || ROUTER_CHITCHAT_PATTERN.test(trimmed) || ROUTER_EMOJI_ONLY_PATTERN.test(trimmed));
  return {
    chars: full.length,
    lines: countLines(text, ROUTER_COMPLEX_LINES),
    codeBlock: ROUTER_CODE_BLOCK_PATTERN.test(text),
    url: ROUTER_URL_PATTERN.test(text),
    retrieval: !chitChat && ROUTER_RETRIEVAL_PATTERN.test(text),
    chitChat,
    attachments,
    embeds,
    isDM: message.isDM,
  };
}

/** Complexity and the rule that decided it, first match wins. */
export function classifyComplexity(
  f: MessageFeatures,
  limits: HeuristicLimits,
): { complexity: RouteComplexity; reason: string } {
  if (f.attachments) return { complexity: 'complex', reason: 'attachments' };
  if (f.codeBlock) return { complexity: 'complex', reason: 'code-block' };
  if (f.chars > limits.longTextChars) return { complexity: 'complex', reason: 'long-text' };
  if (f.lines > ROUTER_COMPLEX_LINES) return { complexity: 'complex', reason: 'many-lines' };
  if (f.chitChat) return { complexity: 'simple', reason: 'chit-chat' };
  if (f.retrieval) return { complexity: 'moderate', reason: 'retrieval-question' };
  if (f.url) return { complexity: 'moderate', reason: 'link' };
  if (f.embeds) return { complexity: 'moderate', reason: 'embeds' };
  if (f.chars > limits.shortTextChars) return { complexity: 'moderate', reason: 'medium-text' };
  return { complexity: 'simple', reason: 'short-text' };
}

/** Path and skip flags for a complexity: the fast path is for simple text in DMs (and guilds if enabled). */
export function decidePath(
  f: MessageFeatures,
  complexity: RouteComplexity,
  limits: HeuristicLimits,
): { path: RoutePath; skip: RouteSkip } {
  const fastAllowed = (f.isDM || limits.guildFastPath) && !f.attachments && !f.embeds;
  const path: RoutePath = complexity === 'simple' && fastAllowed ? 'fast' : 'full';
  return {
    path,
    skip: {
      context: f.chitChat,
      rag: f.chitChat || (complexity === 'simple' && !f.retrieval),
      modality: !f.attachments && !f.embeds,
    },
  };
}

/** The full heuristic decision for a message. */
export function heuristicDecision(f: MessageFeatures, limits: HeuristicLimits): HeuristicDecision {
  const { complexity, reason } = classifyComplexity(f, limits);
  const { path, skip } = decidePath(f, complexity, limits);
  const where = f.isDM ? 'dm' : 'guild';
  return { path, complexity, skip, reason: `${where}-${reason}` };
}
