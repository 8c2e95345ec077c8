/** How the fake answers one request: a JSON completion or an SSE stream, following a behaviour. */
import type { ServerResponse } from 'node:http';
import type { FakeBehaviour, FakeRecordedRequest } from './fake-openrouter-behaviour.ts';
import { answerRaw, writeOversizedEvent } from './fake-openrouter-hostile.ts';
import {
  completionBody,
  errorObject,
  finishReasonOf,
  generationId,
  MALFORMED_JSON,
  replyText,
  SSE_DONE,
  SSE_KEEP_ALIVE,
  sseChunk,
  sseErrorChunk,
  sseFinalChunk,
  sseReasoningChunk,
  sseToolCallChunks,
  tokensOf,
  usageOf,
} from './fake-openrouter-wire.ts';

/** Waits tied to the response: resolve `false` once the response or the server is gone. */
export interface Pacer {
  wait(ms: number): Promise<boolean>;
  every(ms: number, tick: () => void): void;
}

function statusHeaders(behaviour: FakeBehaviour, contentType: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (behaviour.retryAfter !== undefined) headers['retry-after'] = String(behaviour.retryAfter);
  if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = String(behaviour.retryAfterMs);
  return headers;
}

/** Handles what happens before the headers: latency, stall, disconnect, error status. True if answered. */
async function beforeHeaders(behaviour: FakeBehaviour, res: ServerResponse, pacer: Pacer): Promise<boolean> {
  if (!(await pacer.wait(behaviour.latencyMs ?? 0))) return true;
  if (behaviour.stall === 'before_headers') return true;
  if (behaviour.disconnect === 'before_headers') {
    res.socket?.destroy();
    return true;
  }
  const status = behaviour.status ?? 200;
  if (status >= 400) {
    res.writeHead(status, statusHeaders(behaviour, 'application/json'));
    res.end(JSON.stringify({ error: errorObject(behaviour.error, status) }));
    return true;
  }
  return false;
}

/**
 * Answers one request following `behaviour`: latency, stall, disconnect or error status first,
 * then an SSE stream when the request asked for one, else a JSON completion.
 */
export async function answer(
  behaviour: FakeBehaviour,
  request: FakeRecordedRequest,
  res: ServerResponse,
  pacer: Pacer,
): Promise<void> {
  if (behaviour.raw !== undefined) {
    if (await pacer.wait(behaviour.latencyMs ?? 0)) await answerRaw(behaviour.raw, res);
    return;
  }
  if (await beforeHeaders(behaviour, res, pacer)) return;
  const respond = request.stream ? answerStream : answerJson;
  await respond(behaviour, request, res, pacer);
}

/** Answers a non-streamed request (after {@link beforeHeaders}). */
async function answerJson(
  behaviour: FakeBehaviour,
  request: FakeRecordedRequest,
  res: ServerResponse,
  pacer: Pacer,
): Promise<void> {
  const status = behaviour.status ?? 200;
  if (behaviour.stall !== undefined) {
    res.writeHead(status, statusHeaders(behaviour, 'application/json'));
    res.flushHeaders();
    return;
  }
  const text = replyText(behaviour, request);
  const tokens = tokensOf(behaviour, text).length;
  // A non-streamed answer arrives when the whole generation is done: first token plus cadence.
  const generationMs = (behaviour.ttftMs ?? 0) + (behaviour.tokenIntervalMs ?? 0) * Math.max(0, tokens - 1);
  if (!(await pacer.wait(generationMs))) return;
  let body: string;
  if (behaviour.malformed !== undefined) body = MALFORMED_JSON;
  else if (behaviour.error !== undefined)
    body = JSON.stringify({ error: errorObject(behaviour.error, status) });
  else body = completionBody(behaviour, request, text, tokens);
  if (behaviour.disconnect !== undefined) {
    res.writeHead(status, {
      ...statusHeaders(behaviour, 'application/json'),
      'content-length': String(body.length * 2),
    });
    res.write(body.slice(0, body.length >> 1));
    res.socket?.destroy();
    return;
  }
  res.writeHead(status, {
    ...statusHeaders(behaviour, 'application/json'),
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Answers a streamed request (SSE, after {@link beforeHeaders}). */
async function answerStream(
  behaviour: FakeBehaviour,
  request: FakeRecordedRequest,
  res: ServerResponse,
  pacer: Pacer,
): Promise<void> {
  res.writeHead(behaviour.status ?? 200, {
    ...statusHeaders(behaviour, 'text/event-stream'),
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  const id = generationId();
  for (let i = 0; i < (behaviour.comments ?? 0); i += 1) {
    if (i > 0 && !(await pacer.wait(behaviour.commentIntervalMs ?? 0))) return;
    res.write(SSE_KEEP_ALIVE);
  }
  if (behaviour.error !== undefined) {
    res.end(sseErrorChunk(id, request.model, behaviour.error) + SSE_DONE);
    return;
  }
  const text = replyText(behaviour, request);
  const tokens = tokensOf(behaviour, text);
  if (!(await pacer.wait(behaviour.ttftMs ?? 0))) return;
  for (const token of behaviour.reasoning ?? []) {
    res.write(sseReasoningChunk(id, request.model, token));
    if (!(await pacer.wait(behaviour.tokenIntervalMs ?? 0))) return;
  }
  for (let i = 0; i <= tokens.length; i += 1) {
    if (interrupt(behaviour, i, id, request, res, pacer)) return;
    if (i === tokens.length) break;
    if (i > 0 && !(await pacer.wait(behaviour.tokenIntervalMs ?? 0))) return;
    res.write(sseChunk(id, request.model, tokens[i]!));
  }
  if (behaviour.toolCalls) res.write(sseToolCallChunks(id, request.model, behaviour));
  const usage = usageOf(behaviour, request, tokens.length);
  res.end(sseFinalChunk(id, request.model, finishReasonOf(behaviour), usage) + SSE_DONE);
}

/** Scripted interruptions at token index `i`; true when the stream must not go on. */
function interrupt(
  behaviour: FakeBehaviour,
  i: number,
  id: string,
  request: FakeRecordedRequest,
  res: ServerResponse,
  pacer: Pacer,
): boolean {
  const { malformed, midStreamError, disconnect, stall, oversizedEvent } = behaviour;
  if (oversizedEvent !== undefined && (oversizedEvent.afterTokens ?? 0) === i) {
    writeOversizedEvent(oversizedEvent.bytes, res, pacer).catch(() => res.destroy());
    return true;
  }
  if (malformed !== undefined && (malformed === true ? 0 : malformed.afterTokens) === i) {
    res.end(`data: ${MALFORMED_JSON}\n\n${SSE_DONE}`);
    return true;
  }
  if (midStreamError !== undefined && midStreamError.afterTokens === i) {
    res.end(sseErrorChunk(id, request.model, midStreamError) + SSE_DONE);
    return true;
  }
  if (typeof disconnect === 'object' && disconnect.afterTokens === i) {
    res.socket?.end(); // flushes the tokens written so far, then drops the connection mid-body
    return true;
  }
  if (typeof stall === 'object' && stall.afterTokens === i) {
    if (stall.commentEveryMs !== undefined)
      pacer.every(stall.commentEveryMs, () => res.write(SSE_KEEP_ALIVE));
    return true;
  }
  return false;
}
