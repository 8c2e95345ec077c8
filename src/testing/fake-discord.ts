import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_DISCORD_HEARTBEAT_INTERVAL_MS } from './constants.ts';
import { FakeDiscordApi } from './fake-discord-api.ts';
import { FakeGateway, type GatewayIdentify } from './fake-discord-gateway.ts';
import { FakeInjector, type InjectMessageInput } from './fake-discord-inject.ts';
import type { Scripted429, ScriptedError } from './fake-discord-limits.ts';
import { type WaitForReplyOptions, waitForSettledReply } from './fake-discord-reply.ts';
import { FakeDiscordRequestLog } from './fake-discord-requests.ts';
import {
  type FakeDiscordGuild,
  type FakeDiscordMessage,
  FakeDiscordStore,
  type FakeDiscordUser,
  snowflake,
} from './fake-discord-state.ts';
import type { FakeDiscordOptions, FakeDiscordRequest } from './fake-discord-types.ts';
import { waitUntil } from './fake-discord-wait.ts';
import { loadWebSocketServer, type WebSocketServerClass } from './fake-discord-ws.ts';

export type { FakeDiscordOptions, FakeDiscordRequest } from './fake-discord-types.ts';

/**
 * A local fake of Discord's REST API (`/api/v10`) and gateway for tests: the real discord.js
 * `REST` and `Client` talk to it (`rest: { api: discord.apiUrl }`). It records every request,
 * keeps the current state of every message, sends realistic `X-RateLimit-*` headers, and can
 * script 429s, errors and latency.
 */
export class FakeDiscord {
  /** Pass to discord.js: `new REST({ api: discord.apiUrl })`. */
  readonly apiUrl: string;
  /** Gateway URL returned by `GET /gateway/bot`. */
  readonly gatewayUrl: string;
  /** The bot's own user. */
  readonly botUser: FakeDiscordUser;
  /** Application id sent in READY. */
  readonly applicationId: string;

  readonly #server: Server;
  readonly #gateway: FakeGateway;
  readonly #store = new FakeDiscordStore();
  readonly #log = new FakeDiscordRequestLog();
  readonly #api: FakeDiscordApi;
  readonly #injector: FakeInjector;

  private constructor(server: Server, options: FakeDiscordOptions, WebSocketServer: WebSocketServerClass) {
    const { port } = server.address() as AddressInfo;
    this.#server = server;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    this.applicationId = snowflake();
    this.botUser = {
      id: options.botUser?.id ?? this.applicationId,
      username: options.botUser?.username ?? 'chatlane-bot',
      bot: true,
      global_name: options.botUser?.global_name ?? null,
      discriminator: '0',
      avatar: null,
    };
    for (const guild of options.guilds ?? []) this.addGuild(guild);
    this.#gateway = new FakeGateway(
      server,
      {
        botUser: this.botUser,
        applicationId: this.applicationId,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? FAKE_DISCORD_HEARTBEAT_INTERVAL_MS,
        gatewayUrl: () => this.gatewayUrl,
        guilds: () => [...this.#store.guilds.values()],
        token: options.token,
      },
      WebSocketServer,
    );
    this.#api = new FakeDiscordApi(options, this.#log, {
      store: this.#store,
      botUser: this.botUser,
      gatewayUrl: this.gatewayUrl,
      recommendedShards: options.recommendedShards ?? 1,
      cannotDm: new Set(options.cannotDm ?? []),
      onCreate: (message) => {
        if (options.echoBotMessages) void this.#gateway.dispatch('MESSAGE_CREATE', message);
      },
    });
    this.#injector = new FakeInjector({
      store: this.#store,
      gateway: this.#gateway,
      botUser: this.botUser,
      announceDmChannels: options.announceDmChannels ?? false,
    });
  }

  /**
   * Starts the fake on 127.0.0.1 with a random port. Throws `MissingPeerDependencyError`
   * (`MISSING_PEER_DEPENDENCY`) when the optional `ws` peer (its gateway) is not installed.
   */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const WebSocketServer = await loadWebSocketServer();
    let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.destroy();
    const server = createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeDiscord(server, options, WebSocketServer);
    handle = (req, res) => void fake.#api.handle(req, res);
    return fake;
  }

  /** Every REST request received so far, in arrival order. */
  get requests(): readonly FakeDiscordRequest[] {
    return this.#log.all;
  }

  /** Identify payloads the gateway received. */
  get identifies(): readonly GatewayIdentify[] {
    return this.#gateway.identifies;
  }

  /** Gateway sessions that are identified and ready. */
  get gatewayConnections(): number {
    return this.#gateway.readyCount;
  }

  /**
   * Resolves once at least `count` gateway sessions are identified and ready (READY sent), so
   * an injected message reaches them (discord.js queues it until its own ready event).
   */
  waitForGateway(count = 1): Promise<void> {
    const enough = () => (this.#gateway.readyCount >= count ? true : undefined);
    if (enough()) return Promise.resolve();
    return waitUntil(this.#gateway.events, 'ready', enough, 'the gateway').then(() => undefined);
  }

  /** Current messages of a channel (after edits and deletes), oldest first. */
  messages(channelId: string): FakeDiscordMessage[] {
    return this.#store.messages(channelId);
  }

  /** The DM channel id of a user (created on first use, like `POST /users/@me/channels`). */
  dmChannelId(userId: string): string {
    return this.#store.dmChannel({ id: userId, username: `user-${userId}`, discriminator: '0', avatar: null })
      .id;
  }

  /** Answers the next matching request(s) with a 429 (per-route or global). */
  script429(script: Scripted429): void {
    this.#api.scripted429.push({ ...script });
  }

  /** Answers the next matching request(s) with an error (e.g. 403/50007, or 500 after applying). */
  scriptError(script: ScriptedError): void {
    this.#api.scriptedErrors.push({ ...script });
  }

  /** Changes the REST latency from now on. */
  setLatency(latencyMs: FakeDiscordOptions['latencyMs']): void {
    this.#api.setLatency(latencyMs);
  }

  /**
   * Requests answered with a global 429 because their bot token went over `globalLimit` per
   * second — all connections and processes together. A bot that shares its limit right sees 0.
   */
  get globalLimitViolations(): number {
    return this.#api.globalViolations;
  }

  /** Answers with status 401, 403 or 429: what Discord counts toward its invalid-request limit. */
  get invalidRequests(): number {
    return this.#api.invalidRequests;
  }

  /** Forgets recorded requests (state is kept). */
  clearRequests(): void {
    this.#log.clear();
  }

  /** Listens to every answered request; returns an unsubscribe function. */
  onRequest(listener: (request: FakeDiscordRequest) => void): () => void {
    return this.#log.onRequest(listener);
  }

  /** Resolves with the first answered request (already recorded or future) matching `predicate`. */
  waitForRequest(predicate: (request: FakeDiscordRequest) => boolean): Promise<FakeDiscordRequest> {
    return this.#log.waitFor(predicate);
  }

  /**
   * Resolves with the channel's messages once `predicate` holds for them (checked now and after
   * every answered request), e.g. `discord.waitForMessages(id, (m) => m.some((x) => x.author.bot))`.
   */
  async waitForMessages(
    channelId: string,
    predicate: (messages: FakeDiscordMessage[]) => boolean,
  ): Promise<FakeDiscordMessage[]> {
    if (!predicate(this.messages(channelId)))
      await this.waitForRequest(() => predicate(this.messages(channelId)));
    return this.messages(channelId);
  }

  /**
   * Resolves with the bot's *finished* reply to message `toMessageId` (the message replying to it,
   * then its continuation parts when the reply was split), once the reply exists and no create,
   * edit or delete touched its channel for `settledMs` — a streamed reply has stopped changing.
   * Rejects with `FakeDiscordWaitTimeoutError` (`FAKE_DISCORD_WAIT_TIMEOUT`, carrying the partial
   * reply) after `timeoutMs`. Unlike `waitForMessages`, it never resolves on a first partial
   * edit. E.g. `const [reply] = await discord.waitForReply(asked.id, { settledMs: 500 })`.
   */
  waitForReply(toMessageId: string, options: WaitForReplyOptions = {}): Promise<FakeDiscordMessage[]> {
    return waitForSettledReply(
      { store: this.#store, log: this.#log, botId: this.botUser.id },
      toMessageId,
      options,
    );
  }

  /** Adds a guild (announced with GUILD_CREATE to connected clients). Returns it. */
  addGuild(input: {
    id?: string;
    name?: string;
    channels?: Array<{ id?: string; name?: string }>;
  }): FakeDiscordGuild {
    return this.#store.addGuild(input);
  }

  /**
   * Makes a user post a message: stored in the channel and dispatched as MESSAGE_CREATE to every
   * connected client. Without `guildId` it is a DM (channel created for the author when
   * `channelId` is omitted); discord.js needs `partials: [Partials.Channel]` to receive DMs
   * (or `announceDmChannels: true`).
   */
  async injectMessage(input: InjectMessageInput): Promise<FakeDiscordMessage> {
    const dm = input.guildId === undefined;
    const channelId = input.channelId ?? (dm ? this.dmChannelId(input.author.id) : snowflake());
    return this.#injector.inject(input, channelId);
  }

  /**
   * Delivers an injected message's MESSAGE_CREATE again, identical (same id, same payload), to
   * every connected client — as a gateway replay, a reconnect or a second listener does — so a
   * bot's de-duplication can be tested. Resolves with the number of sessions it reached.
   */
  replayMessage(messageId: string): Promise<number> {
    return this.#injector.replay(messageId);
  }

  /**
   * Drops every gateway connection with a resumable close (4000): clients reconnect and Resume,
   * get the dispatches they missed, and also their last `replayLast` dispatches again (default
   * 0, like Discord; e.g. 1 re-delivers the last MESSAGE_CREATE, to test de-duplication).
   */
  reconnectSessions(options: { replayLast?: number } = {}): void {
    this.#gateway.reconnect(options.replayLast ?? 0);
  }

  /** Asks connected clients to re-identify (INVALID_SESSION, not resumable). */
  async invalidateSessions(): Promise<void> {
    await this.#gateway.invalidateSessions();
  }

  /** Closes the gateway, every connection and the server; pending latency waits are cancelled. */
  async close(): Promise<void> {
    this.#api.close();
    this.#log.closing();
    await this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#log.dispose();
  }
}
