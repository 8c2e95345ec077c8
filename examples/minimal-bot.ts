/**
 * The README's minimal bot, kept here so the type checker proves it compiles and the tests run it.
 * Run: DISCORD_TOKEN=… OPENROUTER_API_KEY=… node examples/minimal-bot.ts
 */
import { DiscordSender, FastPathRouter, OpenRouterClient, SessionCache, userFacingFailure } from 'chatlane';
import { Client, Events, GatewayIntentBits, type Message, Partials } from 'discord.js';

/** The primitives the bot is made of. */
export interface MinimalBotParts {
  client: Client;
  llm: OpenRouterClient;
  router: FastPathRouter;
  sessions: SessionCache<unknown>;
  sender: DiscordSender;
}

/** Answers DMs and mentions; `answer` never rejects (a failure ends in one polite reply). */
export function createMinimalBot({ client, llm, router, sessions, sender }: MinimalBotParts) {
  async function reply(message: Message): Promise<void> {
    if (message.author.bot || (message.guildId && !message.mentions.has(client.user!))) return;
    if (!(await sessions.claimMessage(message.id))) return; // a replayed event: answered once already
    const isDM = message.guildId === null;
    const conversation = {
      isDM,
      guildId: message.guildId,
      channelId: message.channelId,
      userId: message.author.id,
    };
    const route = await router.route({ text: message.content, isDM });
    const history = await sessions.getHistory(conversation); // a store that is down: no history, still an answer
    const messages = [...history, { role: 'user' as const, content: message.content }];
    const stream = llm.stream({ model: route.model, messages });
    const { text, failure } = await sender.stream(message.channelId, stream, {
      replyTo: message.id,
      typing: 'until-first-text', // "typing…" until the first words show
    });
    if (failure && !failure.noticeShown) throw failure.error; // the user saw no notice: apologise below
    if (failure) return;
    await sessions.append(conversation, { role: 'user', content: message.content });
    await sessions.append(conversation, { role: 'assistant', content: text });
  }
  return {
    async answer(message: Message): Promise<void> {
      try {
        await reply(message);
      } catch (error) {
        console.error('could not answer', message.id, error);
        await sender
          .send(message.channelId, userFacingFailure(error), { replyTo: message.id })
          .catch(() => {});
      }
    },
  };
}

if (import.meta.main) {
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.MessageContent,
    ],
    partials: [Partials.Channel], // needed to receive DMs
  });
  const bot = createMinimalBot({
    client,
    llm: new OpenRouterClient({
      apiKey: process.env.OPENROUTER_API_KEY ?? '',
      models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'], // the fallback ladder
    }),
    router: new FastPathRouter({
      models: { simple: 'openai/gpt-4o-mini', complex: 'anthropic/claude-3.5-haiku' },
    }),
    sessions: new SessionCache(), // in process; pass { store: new RedisSessionStore(…) } to share
    sender: new DiscordSender({ client, streamErrorNotice: userFacingFailure }),
  });
  client.on(Events.MessageCreate, (message) => void bot.answer(message));
  await client.login(process.env.DISCORD_TOKEN);
}
