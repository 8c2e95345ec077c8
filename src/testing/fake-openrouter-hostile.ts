/**
 * Hostile answers of the fake OpenRouter: a verbatim body with any status and content type (a 200
 * whose body is a JSON error object, an HTML page, nothing at all), and an SSE event far larger
 * than any real one. Large bodies are written in pieces, waiting for `drain`, as a server would.
 */
import type { ServerResponse } from 'node:http';
import type { Pacer } from './fake-openrouter-handlers.ts';

/** Bytes per write of a large body. */
const PIECE_BYTES = 64 * 1024;

/** A verbatim answer (see `FakeBehaviour.raw`). */
export interface FakeRawAnswer {
  /** HTTP status. @default 200 */
  status?: number;
  /** `content-type` header; `null` sends none. @default 'application/json' */
  contentType?: string | null;
  /** The body, sent as is. */
  body: string | Uint8Array;
  /** Send no `content-length` (chunked encoding), so the client only learns the size as it reads. @default false */
  chunked?: boolean;
}

/** Writes `data` in pieces, waiting for `drain`; false once the response is gone. */
async function writeInPieces(res: ServerResponse, data: Uint8Array): Promise<boolean> {
  for (let offset = 0; offset < data.length; offset += PIECE_BYTES) {
    if (res.destroyed) return false;
    if (!res.write(data.subarray(offset, offset + PIECE_BYTES))) {
      const drained = await new Promise<boolean>((resolve) => {
        const done = (ok: boolean) => () => {
          res.off('drain', onDrain);
          res.off('close', onClose);
          resolve(ok);
        };
        const onDrain = done(true);
        const onClose = done(false);
        res.once('drain', onDrain);
        res.once('close', onClose);
      });
      if (!drained) return false;
    }
  }
  return !res.destroyed;
}

/** Answers with `raw` verbatim (whatever the request asked for). */
export async function answerRaw(raw: FakeRawAnswer, res: ServerResponse): Promise<void> {
  const body = typeof raw.body === 'string' ? Buffer.from(raw.body) : raw.body;
  const headers: Record<string, string> = {};
  const contentType = raw.contentType === undefined ? 'application/json' : raw.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  if (raw.chunked !== true) headers['content-length'] = String(body.length);
  res.writeHead(raw.status ?? 200, headers);
  if (await writeInPieces(res, body)) res.end();
}

/**
 * Streams: after the headers (and `afterTokens` normal tokens, written by the caller), one
 * `data:` line of `bytes` bytes, then its blank line and `[DONE]`.
 */
export async function writeOversizedEvent(bytes: number, res: ServerResponse, pacer: Pacer): Promise<void> {
  if (!(await pacer.wait(0))) return;
  const line = Buffer.alloc(bytes, 'x');
  line.write('data: "', 0);
  if (!(await writeInPieces(res, line))) return;
  res.end('"\n\ndata: [DONE]\n\n');
}
