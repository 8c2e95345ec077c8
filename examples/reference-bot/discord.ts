/** Logging in with discord.js, and the Discord-backed profile loader. */
import { Client, Events, GatewayIntentBits, Partials, type REST } from 'discord.js';
import type { Profile } from './pipeline.ts';

/** Logs a Client in (against `apiUrl` when given: the fake Discord in the demo) and waits for READY. */
export async function loginClient(token: string, apiUrl?: string): Promise<Client<true>> {
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.MessageContent,
    ],
    // DMs arrive for channels discord.js has not cached: without this it drops them.
    partials: [Partials.Channel],
    ...(apiUrl ? { rest: { api: apiUrl } } : {}),
  });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  return ready;
}

interface DiscordUser {
  username: string;
  global_name?: string | null;
}

/** Loads a profile from Discord's `GET /users/:id` (cached by the SessionCache for 2 minutes). */
export function discordProfileLoader(rest: REST) {
  return async (userId: string, { signal }: { signal: AbortSignal }): Promise<Profile> => {
    const user = (await rest.get(`/users/${userId}`, { signal })) as DiscordUser;
    return { displayName: user.global_name ?? user.username, locale: 'en' };
  };
}
