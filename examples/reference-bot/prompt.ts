/**
 * The bot's system prompt. Static instructions come first (one stable prefix, so provider-side
 * prompt caching hits); the per-user part comes last.
 */
import type { Logger, RouteDecision } from 'chatlane';
import type { IncomingMessage, PipelineParts } from './types.ts';

export const SYSTEM_PROMPT_ID = 'reference-bot.system';

export const SYSTEM_PROMPT = `You are a helpful assistant in a Discord community.
Rules:
- Answer in the language of the question, concisely and accurately.
- Use Discord markdown; put code in fenced blocks with a language tag.
- Never mention @everyone, @here or roles; never invent links.
- If you are unsure, say so briefly instead of guessing.

Your name is {{botName}}. You are talking with {{userName}} in {{place}} (locale: {{locale}}).
{{#if brief}}This is a short, simple message: answer in one or two sentences.{{else}}Take the space the question needs, no more.{{/if}}`;

/** The system prompt; without a profile (its loader failed) it names the user as the message does. */
export async function systemPrompt(
  parts: Pick<PipelineParts, 'templates' | 'sessions'>,
  msg: IncomingMessage,
  route: RouteDecision,
  { log, corrId, signal }: { log: Logger; corrId: string; signal: AbortSignal },
): Promise<string> {
  const unavailable = (error: unknown) => {
    if (signal.aborted) throw error;
    log.warn({ corr_id: corrId, error }, 'profile_unavailable');
  };
  // Compiled once, then a cache hit (~0.1 µs) until its TTL; the profile loads meanwhile.
  const [template, profile] = await Promise.all([
    parts.templates.compile(SYSTEM_PROMPT_ID, SYSTEM_PROMPT, { signal }),
    route.skip.context ? undefined : parts.sessions.getProfile(msg.authorId, { signal }).catch(unavailable),
  ]);
  return template.render({
    botName: 'chatlane',
    userName: profile?.displayName ?? msg.authorName,
    locale: profile?.locale ?? 'en',
    place: msg.isDM ? 'a direct message' : 'a server channel',
    brief: route.complexity === 'simple',
  });
}
