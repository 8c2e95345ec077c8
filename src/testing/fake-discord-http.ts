import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RestAnswer } from './fake-discord-rest.ts';

/** HTTP statuses the fake answers with outside route handlers. */
export const STATUS = { UNAUTHORIZED: 401, TOO_MANY: 429, NO_CONTENT: 204 } as const;

/** Reads a request body as JSON (or text when it is not JSON; `undefined` when empty). */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
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
