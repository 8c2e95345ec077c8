/** Request validation (zod) and serialization of the `/chat/completions` body. */
import { z } from 'zod';
import { parseOptions } from '../internal/options.ts';
import type { ChatRequest } from './types.ts';

const contentPart = z.looseObject({ type: z.string().min(1) });

const message = z.looseObject({
  role: z.enum(['system', 'user', 'assistant', 'tool', 'developer']),
  content: z.union([z.string(), z.array(contentPart), z.null()]),
  name: z.string().optional(),
});

const requestSchema = z.looseObject({
  messages: z.array(message).min(1),
  model: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  top_p: z.number().min(0).max(1).optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  seed: z.number().int().optional(),
  frequency_penalty: z.number().optional(),
  presence_penalty: z.number().optional(),
  provider: z.record(z.string(), z.unknown()).optional(),
  user: z.string().optional(),
  stream: z.boolean().optional(),
});

/** Validates a request (throws `InvalidOptionsError` naming each bad field). */
export function validateRequest(request: ChatRequest): void {
  const result = requestSchema.safeParse(request);
  if (!result.success) parseOptions(requestSchema, request, 'chat request');
}

/** Serializes the body for `model`: the ladder fields (`models`) stay client-side. */
export function serializeBody(request: ChatRequest, model: string, stream: boolean): string {
  const body: Record<string, unknown> = { ...request, model, stream };
  if (body.models !== undefined) delete body.models;
  return JSON.stringify(body);
}

/** The ladder of one request: `req.models`, or `req.model` then the defaults, without duplicates. */
export function ladderOf(request: ChatRequest, defaults: readonly string[]): readonly string[] {
  if (request.models !== undefined) return [...new Set(request.models)];
  const first = request.model;
  if (first === undefined || first === defaults[0]) return defaults;
  return [first, ...defaults.filter((model) => model !== first)];
}
