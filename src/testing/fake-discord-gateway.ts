import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { FAKE_DISCORD_CLOSE_RESUMABLE, FAKE_DISCORD_RESUME_BUFFER } from './constants.ts';
import { guildCreatePayload } from './fake-discord-payloads.ts';
import { type FakeDiscordGuild, type FakeDiscordUser, snowflake } from './fake-discord-state.ts';
import type { WebSocketServerClass } from './fake-discord-ws.ts';

/** Gateway opcodes the fake speaks. */
const OP = {
  DISPATCH: 0,
  HEARTBEAT: 1,
  IDENTIFY: 2,
  RESUME: 6,
  INVALID_SESSION: 9,
  HELLO: 10,
  HEARTBEAT_ACK: 11,
} as const;

const API_VERSION = 10;

/** What an Identify told the fake. */
export interface GatewayIdentify {
  token: string;
  intents: number;
  /** `[shardId, shardCount]` (`[0, 1]` when the client sent none). */
  shard: [number, number];
}

/**
 * The shard a guild's events go to: `(guild_id >> 22) % shardCount`, as Discord routes them; DMs
 * and events without a guild go to shard 0.
 */
export function shardOf(guildId: string | undefined, shardCount: number): number {
  if (guildId === undefined || shardCount <= 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A valid `[id, count]` from an Identify's `shard` field, or `[0, 1]`. */
function shardField(value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) return [0, 1];
  const [id, count] = value.map(Number) as [number, number];
  return Number.isInteger(id) && Number.isInteger(count) && count >= 1 && id >= 0 && id < count
    ? [id, count]
    : [0, 1];
}

interface Dispatch {
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  socket: WebSocket;
  sessionId: string;
  seq: number;
  ready: boolean;
  identify?: GatewayIdentify;
  /** The last dispatches sent, for a Resume to replay. */
  history: Dispatch[];
  /** On Resume, also replay this many dispatches the client had already received. */
  replayExtra: number;
}

/** What the gateway needs from its owner. */
export interface GatewayContext {
  botUser: FakeDiscordUser;
  applicationId: string;
  heartbeatIntervalMs: number;
  gatewayUrl: () => string;
  guilds: () => FakeDiscordGuild[];
  /** When set, an Identify with another token is closed with 4004 (authentication failed). */
  token: string | undefined;
}

const CLOSE_AUTH_FAILED = 4004;
const CLOSE_DECODE_ERROR = 4002;

/**
 * A minimal Discord gateway on the fake's HTTP server: Hello, Identify → READY (+ GUILD_CREATE
 * for every known guild), heartbeat ACKs, Resume → RESUMED, and dispatches pushed by tests.
 */
export class FakeGateway {
  readonly #wss: WebSocketServer;
  readonly #sessions = new Set<Session>();
  /** Identified sessions by id, kept after their socket closed so that a client can resume. */
  readonly #resumable = new Map<string, Session>();
  readonly #ctx: GatewayContext;
  /** Identify payloads received, in order. */
  readonly identifies: GatewayIdentify[] = [];
  /** Emits `ready` each time a session got READY. */
  readonly events = new EventEmitter();

  /** `Server` is the `ws` package's class, loaded on demand (see `loadWebSocketServer`). */
  constructor(server: Server, ctx: GatewayContext, Server: WebSocketServerClass) {
    this.#ctx = ctx;
    this.#wss = new Server({ server });
    this.#wss.on('connection', (socket) => this.#open(socket));
  }

  /** Sessions that completed Identify and got READY. */
  get readyCount(): number {
    return [...this.#sessions].filter((session) => session.ready).length;
  }

  #open(socket: WebSocket): void {
    const session: Session = {
      socket,
      sessionId: snowflake(),
      seq: 0,
      ready: false,
      history: [],
      replayExtra: 0,
    };
    this.#sessions.add(session);
    socket.on('message', (data) => this.#receive(session, data));
    socket.on('close', () => this.#sessions.delete(session));
    socket.on('error', () => this.#sessions.delete(session));
    this.#send(session, { op: OP.HELLO, d: { heartbeat_interval: this.#ctx.heartbeatIntervalMs } });
  }

  #receive(session: Session, data: RawData): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(String(data)) as { op?: unknown; d?: unknown };
    } catch {
      session.socket.close(CLOSE_DECODE_ERROR, 'Decode error');
      return;
    }
    if (payload.op === OP.HEARTBEAT) this.#send(session, { op: OP.HEARTBEAT_ACK });
    else if (payload.op === OP.IDENTIFY) this.#identify(session, payload.d as Partial<GatewayIdentify>);
    else if (payload.op === OP.RESUME)
      this.#resume(session, payload.d as { session_id?: unknown; seq?: unknown });
  }

  #identify(session: Session, d: Partial<GatewayIdentify> | undefined): void {
    const identify: GatewayIdentify = {
      token: String(d?.token ?? ''),
      intents: Number(d?.intents ?? 0),
      shard: shardField((d as { shard?: unknown } | undefined)?.shard),
    };
    this.identifies.push(identify);
    if (this.#ctx.token !== undefined && identify.token.replace(/^Bot\s+/i, '') !== this.#ctx.token) {
      session.socket.close(CLOSE_AUTH_FAILED, 'Authentication failed');
      return;
    }
    session.identify = identify;
    this.#resumable.set(session.sessionId, session);
    const [shardId, shardCount] = identify.shard;
    const guilds = this.#ctx.guilds().filter((guild) => shardOf(guild.id, shardCount) === shardId);
    this.#dispatchTo(session, 'READY', {
      v: API_VERSION,
      user: { ...this.#ctx.botUser, verified: true, mfa_enabled: false, flags: 0 },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.sessionId,
      resume_gateway_url: this.#ctx.gatewayUrl(),
      shard: identify.shard,
      application: { id: this.#ctx.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
    });
    session.ready = true;
    this.events.emit('ready');
    for (const guild of guilds)
      this.#dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(guild, this.#ctx.botUser));
  }

  /**
   * Resume: the new socket takes over the old session, gets the dispatches it missed (plus the
   * `replayExtra` it had already received, see `reconnect`), then RESUMED.
   */
  #resume(session: Session, d: { session_id?: unknown; seq?: unknown } | undefined): void {
    const old = this.#resumable.get(String(d?.session_id));
    if (old === undefined) {
      void this.#send(session, { op: OP.INVALID_SESSION, d: false });
      return;
    }
    Object.assign(session, { sessionId: old.sessionId, seq: old.seq, identify: old.identify, ready: true });
    session.history = old.history;
    this.#resumable.set(session.sessionId, session);
    const acked = Number(d?.seq ?? 0) - old.replayExtra;
    for (const event of old.history.filter((e) => e.s > acked))
      void this.#send(session, { op: OP.DISPATCH, t: event.t, s: event.s, d: event.d });
    void this.#dispatchTo(session, 'RESUMED', {});
  }

  /**
   * Closes every socket with a resumable code (4000): clients resume and get what they missed,
   * plus their last `replayLast` dispatches again (0, like Discord; more to test de-duplication).
   */
  reconnect(replayLast: number): void {
    for (const session of this.#sessions) {
      session.replayExtra = replayLast;
      session.socket.close(FAKE_DISCORD_CLOSE_RESUMABLE, 'Reconnect');
    }
  }

  #send(session: Session, payload: Record<string, unknown>): Promise<void> {
    return new Promise((resolve) => {
      session.socket.send(JSON.stringify({ s: null, t: null, ...payload }), () => resolve());
    });
  }

  #dispatchTo(session: Session, event: string, data: unknown): Promise<void> {
    session.seq += 1;
    session.history.push({ t: event, s: session.seq, d: data });
    if (session.history.length > FAKE_DISCORD_RESUME_BUFFER) session.history.shift();
    return this.#send(session, { op: OP.DISPATCH, t: event, s: session.seq, d: data });
  }

  /**
   * Sends a dispatch (op 0) to every ready session of the shard it belongs to (by the payload's
   * `guild_id`, or its `id` for GUILD_CREATE; shard 0 without one); resolves once written.
   */
  async dispatch(event: string, data: unknown): Promise<number> {
    const payload = data as { guild_id?: unknown; id?: unknown } | null;
    const rawGuild = event === 'GUILD_CREATE' ? payload?.id : payload?.guild_id;
    const guildId = typeof rawGuild === 'string' ? rawGuild : undefined;
    const ready = [...this.#sessions].filter((session) => {
      if (!session.ready) return false;
      const [id, count] = session.identify?.shard ?? [0, 1];
      return shardOf(guildId, count) === id;
    });
    await Promise.all(ready.map((session) => this.#dispatchTo(session, event, data)));
    return ready.length;
  }

  /** Asks every session to reconnect with a fresh Identify (op 9, not resumable). */
  async invalidateSessions(): Promise<void> {
    await Promise.all(
      [...this.#sessions].map((session) => this.#send(session, { op: OP.INVALID_SESSION, d: false })),
    );
  }

  /** Closes every socket and the WebSocket server. */
  async close(): Promise<void> {
    for (const session of this.#sessions) session.socket.terminate();
    this.#sessions.clear();
    this.#resumable.clear();
    this.events.emit('closed');
    this.events.removeAllListeners();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
