/**
 * The README's minimal bot, kept here so the type checker proves it compiles.
 * Run: DISCORD_TOKEN=… OPENROUTER_API_KEY=… node examples/minimal-bot.ts
 */
import { DiscordSender, FastPathRouter, OpenRouterClient, SessionCache, userFacingFailure } from 'chatlane';
import { Client, Events, GatewayIntentBits, type Message, Partials } from 'discord.js';

const client = new Client({
  intents: [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages,
    GatewayIntentBits.MessageContent,
  ],
  partials: [Partials.Channel], // needed to receive DMs
});
const llm = new OpenRouterClient({
  apiKey: process.env.OPENROUTER_API_KEY ?? '',
  models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'], // the fallback ladder
});
const router = new FastPathRouter({
  models: { simple: 'openai/gpt-4o-mini', complex: 'anthropic/claude-3.5-haiku' },
});
const sessions = new SessionCache({ loadProfile: async (userId) => ({ userId }) });
const sender = new DiscordSender({ client, streamErrorNotice: userFacingFailure });

async function answer(message: Message): Promise<void> {
  if (message.author.bot || (message.guildId && !message.mentions.has(client.user!))) return;
  const route = await router.route({ text: message.content, isDM: message.guildId === null });
  const key = `${message.channelId}:${message.author.id}`;
  const history = await sessions.getHistory(key, { kind: message.guildId ? 'guild' : 'dm' });
  const messages = [...history, { role: 'user' as const, content: message.content }];
  const reply = await sender.stream(message.channelId, llm.stream({ model: route.model, messages }), {
    replyTo: message.id,
  });
  if (reply.error === undefined) {
    await sessions.append(key, { role: 'user', content: message.content });
    await sessions.append(key, { role: 'assistant', content: reply.text });
  }
}

// A listener's rejection would crash the process: log it instead (the user already got a notice).
client.on(Events.MessageCreate, (message) => {
  answer(message).catch((error: unknown) => console.error('could not answer', message.id, error));
});

await client.login(process.env.DISCORD_TOKEN);
