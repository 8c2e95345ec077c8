/** Logging in with discord.js, and the Discord-backed profile loader. */
import { Client, Events, GatewayIntentBits, Partials, type REST } from 'discord.js';
import type { Profile } from './pipeline.ts';

/** A Client, not logged in yet (REST against `apiUrl` when given: the fake Discord, or a REST proxy). */
export function createClient(apiUrl?: string): Client {
  return new Client({
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
}

/** Logs `client` in and waits for READY. */
export async function login(client: Client, token: string): Promise<Client<true>> {
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  return ready;
}

/** Logs a Client in (against `apiUrl` when given: the fake Discord in the demo) and waits for READY. */
export async function loginClient(token: string, apiUrl?: string): Promise<Client<true>> {
  return login(createClient(apiUrl), token);
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
