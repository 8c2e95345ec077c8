import { LuaScript } from '../internal/redis.ts';

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

/** KEYS: a guild's index set · ARGV: member, ttlMs. Adds the member; the TTL is only extended. */
export const INDEX = new LuaScript(`${EXTEND_INDEX}
index(KEYS[1], ARGV[1], tonumber(ARGV[2]))
return 1
`);

/**
 * KEYS: profile → { json | false, pttl, type held }. A profile key of another type (corrupt) is
 * deleted and reads as missing.
 */
export const GET_PROFILE = new LuaScript(`${REPAIR_TYPE}
local kind = repair(KEYS[1], 'string')
if kind ~= 'string' then return { false, -2, kind } end
return { redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1]), kind }
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
 * KEYS: history list · ARGV: entry, ttlMs, maxMessages, maxTokens
 * → { kept, malformed elements dropped, type held }. Entries are "<tokens>:<json>"; a key of
 * another type is replaced, elements without a token prefix are dropped; then the oldest are
 * dropped past maxMessages, then while the total exceeds maxTokens (the newest entry always stays).
 */
export const APPEND_HISTORY = new LuaScript(`${REPAIR_TYPE}
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
return { keep, dropped, kind }
`);

/**
 * KEYS: guild user set, guild conversation set (one slot: both tagged `{guildId}`) · Takes both
 * sets → { userIds, conversationKeys }; the caller deletes the profiles and histories they name
 * (other slots). A set key of another type (corrupt) counts as empty and is deleted.
 */
export const TAKE_GUILD = new LuaScript(`
local function members(key)
  if redis.call('TYPE', key).ok ~= 'set' then return {} end
  return redis.call('SMEMBERS', key)
end
local users = members(KEYS[1])
local conversations = members(KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
return { users, conversations }
`);
