import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run with EVALSHA (EVAL once when Redis does not know it yet). Scripts keep each
 * store operation atomic and one round trip. They build some keys from prefixes passed in ARGV,
 * so they target a single Redis (or a primary with replicas), not Redis Cluster.
 */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      return redis.eval(this.#source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * Extends a guild index set's TTL to at least ARGV ttl (never shortens it). A key of another type
 * (corrupt) is replaced by a new set.
 */
const EXTEND_INDEX = `
local function index(key, member, ttl)
  local kind = redis.call('TYPE', key).ok
  if kind ~= 'set' and kind ~= 'none' then redis.call('DEL', key) end
  redis.call('SADD', key, member)
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end
`;

/** Deletes `key` unless it holds the type `want` (or nothing); returns the type it held. */
const REPAIR_TYPE = `
local function repair(key, want)
  local kind = redis.call('TYPE', key).ok
  if kind ~= want and kind ~= 'none' then redis.call('DEL', key) end
  return kind
end
`;

/** KEYS: profile, guild user sets… · ARGV: json, ttlMs, userId. */
export const SET_PROFILE = new LuaScript(`${EXTEND_INDEX}
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
for i = 2, #KEYS do index(KEYS[i], ARGV[3], ttl) end
return 1
`);

/**
 * KEYS: profile, [guild user set] · ARGV: userId → { json | false, pttl, type held }; tags the
 * guild when live. A profile key of another type (corrupt) is deleted and reads as missing.
 */
export const GET_PROFILE = new LuaScript(`${EXTEND_INDEX}${REPAIR_TYPE}
local kind = repair(KEYS[1], 'string')
if kind ~= 'string' then return { false, -2, kind } end
local value = redis.call('GET', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if KEYS[2] and ttl > 0 then index(KEYS[2], ARGV[1], ttl) end
return { value, ttl, kind }
`);

/**
 * KEYS: history list · → { elements, type held }. A key of another type (corrupt) is deleted
 * and reads as an empty list.
 */
export const GET_HISTORY = new LuaScript(`${REPAIR_TYPE}
local kind = repair(KEYS[1], 'list')
if kind ~= 'list' then return { {}, kind } end
return { redis.call('LRANGE', KEYS[1], 0, -1), kind }
`);

/**
 * KEYS: history list, [guild conversation set] · ARGV: entry, ttlMs, maxMessages, maxTokens, key
 * → { kept, malformed elements dropped, type held }. Entries are "<tokens>:<json>"; a key of
 * another type is replaced, elements without a token prefix are dropped; then the oldest are
 * dropped past maxMessages, then while the total exceeds maxTokens (the newest entry always stays).
 */
export const APPEND_HISTORY = new LuaScript(`${EXTEND_INDEX}${REPAIR_TYPE}
local ttl = tonumber(ARGV[2])
local maxMessages = tonumber(ARGV[3])
local maxTokens = tonumber(ARGV[4])
local kind = repair(KEYS[1], 'list')
redis.call('RPUSH', KEYS[1], ARGV[1])
local items = redis.call('LRANGE', KEYS[1], 0, -1)
local dropped = 0
for i = 1, #items do
  if not string.match(items[i], '^%d+:') then
    dropped = dropped + redis.call('LREM', KEYS[1], 0, items[i])
  end
end
redis.call('LTRIM', KEYS[1], -maxMessages, -1)
items = redis.call('LRANGE', KEYS[1], 0, -1)
local total = 0
local keep = 0
for i = #items, 1, -1 do
  local tokens = tonumber(string.match(items[i], '^(%d+):'))
  if keep > 0 and total + tokens > maxTokens then break end
  total = total + tokens
  keep = keep + 1
end
if keep < #items then redis.call('LTRIM', KEYS[1], -keep, -1) end
redis.call('PEXPIRE', KEYS[1], ttl)
if KEYS[2] then index(KEYS[2], ARGV[5], ttl) end
return { keep, dropped, kind }
`);

/**
 * KEYS: guild user set, guild conversation set · ARGV: profile key prefix, history key prefix.
 * Deletes every member's profile / history and both sets → { userIds, conversationKeys }; a
 * set key of another type (corrupt) counts as empty and is deleted.
 */
export const DELETE_GUILD = new LuaScript(`
local function members(key)
  if redis.call('TYPE', key).ok ~= 'set' then return {} end
  return redis.call('SMEMBERS', key)
end
local users = members(KEYS[1])
local conversations = members(KEYS[2])
for _, id in ipairs(users) do redis.call('DEL', ARGV[1] .. id) end
for _, key in ipairs(conversations) do redis.call('DEL', ARGV[2] .. key) end
redis.call('DEL', KEYS[1], KEYS[2])
return { users, conversations }
`);
