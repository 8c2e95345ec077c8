import { DISCORD_MAX_MESSAGE_CHARS } from '../constants.ts';
import { FAKE_DISCORD_NONCE_WINDOW_MS } from './constants.ts';
import {
  CHANNEL_TYPE,
  type FakeDiscordAttachment,
  type FakeDiscordMessage,
  type FakeDiscordStore,
  type FakeDiscordUser,
  messageWireDefaults,
  resolveMentions,
  snowflake,
} from './fake-discord-state.ts';
import type { FakeDiscordFile } from './fake-discord-types.ts';

/** A JSON answer of the fake REST API. */
export interface RestAnswer {
  status: number;
  body?: unknown;
}

/** What a route handler gets. */
export interface RestContext {
  store: FakeDiscordStore;
  botUser: FakeDiscordUser;
  gatewayUrl: string;
  /** `shards` of `GET /gateway/bot`. */
  recommendedShards: number;
  cannotDm: ReadonlySet<string>;
  /** Called with every message the bot creates (the gateway echoes it as MESSAGE_CREATE). */
  onCreate: (message: Record<string, unknown>) => void;
}

const STATUS = { OK: 200, NO_CONTENT: 204, BAD_REQUEST: 400, FORBIDDEN: 403, NOT_FOUND: 404 } as const;
const ERROR = {
  UNKNOWN_CHANNEL: 10003,
  UNKNOWN_MESSAGE: 10008,
  UNKNOWN_USER: 10013,
  EMPTY: 50006,
  CANNOT_DM: 50007,
  FORM: 50035,
} as const;
const MESSAGE_TYPE = { DEFAULT: 0, REPLY: 19 } as const;
const SESSION_LIMIT = {
  total: 1_000,
  remaining: 1_000,
  reset_after: 14_400_000,
  max_concurrency: 1,
} as const;

/** Discord's error body. */
export function apiError(status: number, code: number, message: string, errors?: unknown): RestAnswer {
  return { status, body: errors === undefined ? { message, code } : { message, code, errors } };
}

function formError(field: string, code: string, message: string): RestAnswer {
  return apiError(STATUS.BAD_REQUEST, ERROR.FORM, 'Invalid Form Body', {
    [field]: { _errors: [{ code, message }] },
  });
}

type Body = Record<string, unknown>;

function asBody(body: unknown): Body {
  return typeof body === 'object' && body !== null ? (body as Body) : {};
}

function validateContent(body: Body, requireContent: boolean, hasFiles = false): RestAnswer | undefined {
  const content = body.content;
  if (content !== undefined && typeof content !== 'string') {
    return formError('content', 'STRING_TYPE_CONVERT', 'Could not interpret as string.');
  }
  const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
  if (requireContent && (content === undefined || content.trim() === '') && !hasEmbeds && !hasFiles) {
    return apiError(STATUS.BAD_REQUEST, ERROR.EMPTY, 'Cannot send an empty message');
  }
  if (typeof content === 'string' && content.length > DISCORD_MAX_MESSAGE_CHARS) {
    return formError(
      'content',
      'BASE_TYPE_MAX_LENGTH',
      `Must be ${DISCORD_MAX_MESSAGE_CHARS} or fewer in length.`,
    );
  }
  return undefined;
}

function publicMessage(message: FakeDiscordMessage): Body {
  const { edits: _edits, allowed_mentions: _allowed, mentions, attachments = [], ...rest } = message;
  return {
    ...rest,
    mentions: mentions.map((id) => ({ id, username: `user-${id}`, discriminator: '0', avatar: null })),
    ...messageWireDefaults(),
    attachments: attachments.map(({ content: _content, ...attachment }) => ({
      ...attachment,
      url: `https://cdn.discordapp.com/attachments/${message.channel_id}/${attachment.id}/${attachment.filename}`,
    })),
  };
}

function toAttachments(files: readonly FakeDiscordFile[]): FakeDiscordAttachment[] {
  return files.map((file) => ({
    id: snowflake(),
    filename: file.filename,
    size: file.size,
    content_type: file.contentType || 'application/octet-stream',
    content: file.content,
  }));
}

function createMessage(
  ctx: RestContext,
  channelId: string,
  body: Body,
  files: readonly FakeDiscordFile[],
): RestAnswer {
  const invalid = validateContent(body, true, files.length > 0);
  if (invalid) return invalid;
  const channel = ctx.store.channels.get(channelId);
  const recipient = channel?.recipients?.[0];
  if (channel?.type === CHANNEL_TYPE.DM && recipient && ctx.cannotDm.has(recipient.id)) {
    return apiError(STATUS.FORBIDDEN, ERROR.CANNOT_DM, 'Cannot send messages to this user');
  }
  const nonce = typeof body.nonce === 'string' || typeof body.nonce === 'number' ? body.nonce : undefined;
  if (nonce !== undefined && body.enforce_nonce === true) {
    const existing = ctx.store.byNonce(
      channelId,
      ctx.botUser.id,
      String(nonce),
      FAKE_DISCORD_NONCE_WINDOW_MS,
    );
    if (existing) return { status: STATUS.OK, body: publicMessage(existing) };
  }
  const reference = asBody(body.message_reference);
  const requestedId = typeof reference.message_id === 'string' ? reference.message_id : undefined;
  const found = requestedId !== undefined && ctx.store.find(channelId, requestedId) !== undefined;
  if (requestedId && !found && reference.fail_if_not_exists !== false) {
    return formError('message_reference', 'REPLIES_UNKNOWN_MESSAGE', 'Unknown message');
  }
  // Like Discord: with fail_if_not_exists false, a reply to a deleted message is a plain message.
  const referencedId = found ? requestedId : undefined;
  const content = typeof body.content === 'string' ? body.content : '';
  const message: FakeDiscordMessage = {
    id: snowflake(),
    channel_id: channelId,
    ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}),
    author: ctx.botUser,
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    edits: 0,
    type: referencedId ? MESSAGE_TYPE.REPLY : MESSAGE_TYPE.DEFAULT,
    allowed_mentions: body.allowed_mentions,
    ...resolveMentions(content, body.allowed_mentions),
    ...(nonce === undefined ? {} : { nonce }),
    ...(files.length > 0 ? { attachments: toAttachments(files) } : {}),
    ...(referencedId ? { message_reference: { message_id: referencedId, channel_id: channelId } } : {}),
  };
  ctx.store.add(message);
  if (body.enforce_nonce === true) ctx.store.rememberNonce(message);
  ctx.onCreate(publicMessage(message));
  return { status: STATUS.OK, body: publicMessage(message) };
}

function editMessage(
  ctx: RestContext,
  channelId: string,
  messageId: string,
  body: Body,
  files: readonly FakeDiscordFile[],
): RestAnswer {
  const message = ctx.store.find(channelId, messageId);
  if (!message) return apiError(STATUS.NOT_FOUND, ERROR.UNKNOWN_MESSAGE, 'Unknown Message');
  const invalid = validateContent(body, false);
  if (invalid) return invalid;
  if (typeof body.content === 'string') message.content = body.content;
  message.allowed_mentions = body.allowed_mentions;
  Object.assign(message, resolveMentions(message.content, body.allowed_mentions));
  if (files.length > 0) message.attachments = [...(message.attachments ?? []), ...toAttachments(files)];
  message.edited_timestamp = new Date().toISOString();
  message.edits += 1;
  return { status: STATUS.OK, body: publicMessage(message) };
}

function createDm(ctx: RestContext, body: Body): RestAnswer {
  const recipientId = body.recipient_id;
  if (typeof recipientId !== 'string')
    return formError('recipient_id', 'BASE_TYPE_REQUIRED', 'This field is required');
  const user: FakeDiscordUser = {
    id: recipientId,
    username: `user-${recipientId}`,
    discriminator: '0',
    avatar: null,
  };
  const channel = ctx.store.dmChannel(user);
  return { status: STATUS.OK, body: { ...channel, last_message_id: null, flags: 0 } };
}

function gatewayBot(ctx: RestContext): RestAnswer {
  return {
    status: STATUS.OK,
    body: { url: ctx.gatewayUrl, shards: ctx.recommendedShards, session_start_limit: SESSION_LIMIT },
  };
}

function getUser(ctx: RestContext, userId: string): RestAnswer {
  const user = userId === ctx.botUser.id ? ctx.botUser : ctx.store.users.get(userId);
  return user
    ? { status: STATUS.OK, body: user }
    : apiError(STATUS.NOT_FOUND, ERROR.UNKNOWN_USER, 'Unknown User');
}

type Route = [
  method: string,
  pattern: RegExp,
  handle: (ctx: RestContext, m: string[], body: Body, files: readonly FakeDiscordFile[]) => RestAnswer,
];

const ROUTES: readonly Route[] = [
  ['GET', /^\/gateway\/bot$/, (ctx) => gatewayBot(ctx)],
  ['GET', /^\/gateway$/, (ctx) => ({ status: STATUS.OK, body: { url: ctx.gatewayUrl } })],
  ['GET', /^\/users\/@me$/, (ctx) => ({ status: STATUS.OK, body: ctx.botUser })],
  ['GET', /^\/users\/(\d+)$/, (ctx, m) => getUser(ctx, m[1] ?? '')],
  ['POST', /^\/users\/@me\/channels$/, (ctx, _m, body) => createDm(ctx, body)],
  [
    'POST',
    /^\/channels\/(\d+)\/messages$/,
    (ctx, m, body, files) => createMessage(ctx, m[1] ?? '', body, files),
  ],
  [
    'PATCH',
    /^\/channels\/(\d+)\/messages\/(\d+)$/,
    (ctx, m, body, files) => editMessage(ctx, m[1] ?? '', m[2] ?? '', body, files),
  ],
  ['POST', /^\/channels\/(\d+)\/typing$/, () => ({ status: STATUS.NO_CONTENT })],
  [
    'PUT',
    /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/[^/]+\/@me$/,
    () => ({ status: STATUS.NO_CONTENT }),
  ],
  [
    'DELETE',
    /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/[^/]+\/@me$/,
    () => ({ status: STATUS.NO_CONTENT }),
  ],
  [
    'GET',
    /^\/channels\/(\d+)\/messages$/,
    (ctx, m) => ({
      status: STATUS.OK,
      body: ctx.store
        .messages(m[1] ?? '')
        .reverse()
        .map(publicMessage),
    }),
  ],
  [
    'DELETE',
    /^\/channels\/(\d+)\/messages\/(\d+)$/,
    (ctx, m) =>
      ctx.store.remove(m[1] ?? '', m[2] ?? '')
        ? { status: STATUS.NO_CONTENT }
        : apiError(STATUS.NOT_FOUND, ERROR.UNKNOWN_MESSAGE, 'Unknown Message'),
  ],
  [
    'GET',
    /^\/channels\/(\d+)\/messages\/(\d+)$/,
    (ctx, m) => {
      const message = ctx.store.find(m[1] ?? '', m[2] ?? '');
      return message
        ? { status: STATUS.OK, body: publicMessage(message) }
        : apiError(STATUS.NOT_FOUND, ERROR.UNKNOWN_MESSAGE, 'Unknown Message');
    },
  ],
  [
    'GET',
    /^\/channels\/(\d+)$/,
    (ctx, m) => {
      const channel = ctx.store.channels.get(m[1] ?? '');
      return channel
        ? { status: STATUS.OK, body: channel }
        : apiError(STATUS.NOT_FOUND, ERROR.UNKNOWN_CHANNEL, 'Unknown Channel');
    },
  ],
];

/** Runs the route for `method path`, or answers Discord's 404. */
export function routeRequest(
  ctx: RestContext,
  method: string,
  path: string,
  body: unknown,
  files: readonly FakeDiscordFile[] = [],
): RestAnswer {
  for (const [routeMethod, pattern, handle] of ROUTES) {
    if (routeMethod !== method) continue;
    const match = pattern.exec(path);
    if (match) return handle(ctx, [...match], asBody(body), files);
  }
  return apiError(STATUS.NOT_FOUND, 0, '404: Not Found');
}
