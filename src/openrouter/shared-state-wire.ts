/**
 * What the shared breaker state sends through Redis: the open / close scripts (keys of one model
 * share the hash tag `{<model>}`, one Cluster slot) and the pub/sub message, validated on receipt.
 */
import { LuaScript } from '../internal/redis.ts';

/** KEYS: generation, open · ARGV: cooldownMs, channel, origin, model → the new generation. */
export const OPEN = new LuaScript(`
local generation = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], generation, 'PX', tonumber(ARGV[1]))
redis.call('PUBLISH', ARGV[2], cjson.encode({ kind = 'open', origin = ARGV[3], model = ARGV[4], generation = generation }))
return generation
`);

/** KEYS: generation, open · ARGV: channel, origin, model, generation → 1, or 0 when a peer reopened since. */
export const CLOSE = new LuaScript(`
local generation = tonumber(redis.call('GET', KEYS[1]) or '0')
if generation ~= tonumber(ARGV[4]) then return 0 end
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[1], cjson.encode({ kind = 'close', origin = ARGV[2], model = ARGV[3], generation = generation }))
return 1
`);

/** A breaker change published on the channel. */
export interface BreakerMessage {
  kind: 'open' | 'close';
  origin: string;
  model: string;
  generation: number;
}

/** The message in `text`, or undefined when it is not one (ignored). */
export function parseMessage(text: string): BreakerMessage | undefined {
  try {
    const value = JSON.parse(text) as Partial<BreakerMessage>;
    const ok =
      (value.kind === 'open' || value.kind === 'close') &&
      typeof value.origin === 'string' &&
      typeof value.model === 'string' &&
      typeof value.generation === 'number';
    return ok ? (value as BreakerMessage) : undefined;
  } catch {
    return undefined;
  }
}
