import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type FakeBuckets,
  type FakeGlobalLimit,
  type Scripted429,
  type ScriptedError,
  takeScript,
  tooManyRequests,
} from './fake-discord-limits.ts';
import { apiError, type RestAnswer, type RestContext, routeRequest } from './fake-discord-rest.ts';
import type { FakeDiscordFile, FakeDiscordRequest } from './fake-discord-types.ts';

/** HTTP statuses the fake answers with outside route handlers. */
export const STATUS = { UNAUTHORIZED: 401, TOO_MANY: 429, NO_CONTENT: 204 } as const;

/** A request body: JSON (or text when it is not JSON; `undefined` when empty) and uploaded files. */
export interface ReadBody {
  body: unknown;
  files: FakeDiscordFile[];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A multipart/form-data body as discord.js sends files: `payload_json` plus `files[n]`. */
async function readMultipart(raw: Buffer, contentType: string): Promise<ReadBody> {
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  const files: FakeDiscordFile[] = [];
  let body: unknown;
  for (const [name, value] of form.entries()) {
    if (name === 'payload_json' && typeof value === 'string') body = parseJson(value);
    else if (typeof value !== 'string') {
      const content = await value.text();
      files.push({ field: name, filename: value.name, size: value.size, contentType: value.type, content });
    }
  }
  return { body, files };
}

/** Reads a request body: JSON, text, or multipart with files. */
export async function readBody(req: IncomingMessage): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return { body: undefined, files: [] };
  const raw = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) return readMultipart(raw, contentType);
  return { body: parseJson(raw.toString('utf8')), files: [] };
}

/** Request headers as a flat lower-case record. */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Writes a JSON answer (or an empty 204). */
export function respond(res: ServerResponse, answer: RestAnswer, headers: Record<string, string>): void {
  if (answer.status === STATUS.NO_CONTENT || answer.body === undefined) {
    res.writeHead(answer.status, headers).end();
    return;
  }
  res
    .writeHead(answer.status, { ...headers, 'content-type': 'application/json' })
    .end(JSON.stringify(answer.body));
}

/** An answer and the headers to send with it. */
export interface AnswerWithHeaders {
  answer: RestAnswer;
  headers: Record<string, string>;
}

/** What {@link answerRequest} needs from the fake. */
export interface AnswerDeps {
  token: string | undefined;
  scripted429: Scripted429[];
  scriptedErrors: ScriptedError[];
  buckets: FakeBuckets;
  /** Discord's global limit per token; `undefined` when switched off. */
  globalLimit: FakeGlobalLimit | undefined;
  rest: RestContext;
}

function scriptedAnswer(failure: ScriptedError): RestAnswer {
  return apiError(failure.status, failure.code ?? 0, failure.message ?? 'Scripted error');
}

function tooMany(route: string, retryAfterMs: number, global: boolean, scope: string): AnswerWithHeaders {
  const { headers, body } = tooManyRequests(route, retryAfterMs, global, scope);
  return { answer: { status: STATUS.TOO_MANY, body }, headers };
}

/**
 * Decides the answer to one request, in Discord's order: authentication, scripted 429, the global
 * limit, the bucket limit, scripted error (before or after applying the request), then the route itself.
 */
export function answerRequest(request: FakeDiscordRequest, deps: AnswerDeps): AnswerWithHeaders {
  const { method, path, route } = request;
  if (deps.token !== undefined && request.headers.authorization !== `Bot ${deps.token}`) {
    return { answer: apiError(STATUS.UNAUTHORIZED, 0, '401: Unauthorized'), headers: {} };
  }
  const limited = takeScript(deps.scripted429, method, path);
  if (limited) return tooMany(route, limited.retryAfterMs, limited.global ?? false, limited.scope ?? 'user');
  const globalWait = deps.globalLimit?.take(request.headers.authorization ?? '') ?? 0;
  if (globalWait > 0) return tooMany(route, globalWait, true, 'global');
  const bucket = deps.buckets.take(method, path);
  if (bucket.retryAfterMs > 0) return tooMany(route, bucket.retryAfterMs, false, 'user');
  const failure = takeScript(deps.scriptedErrors, method, path);
  if (failure && !failure.afterApply) return { answer: scriptedAnswer(failure), headers: bucket.headers };
  const answer = routeRequest(deps.rest, method, path, request.body, request.files);
  return { answer: failure ? scriptedAnswer(failure) : answer, headers: bucket.headers };
}
