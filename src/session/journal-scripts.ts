/**
 * Lua scripts of the reply journal. Every key carries the hash tag `{journal}` (one slot, so the
 * scripts run on Redis Cluster); times come from Redis's own `TIME`, so processes on machines
 * whose clocks disagree share one notion of "expired". Entries are JSON
 * `{ payload, acceptedAt, attempts }`; the lease set scores each in-flight id with its lease end.
 */
import { LuaScript } from '../internal/redis.ts';

const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

/**
 * KEYS: entries, leases, owners, done · ARGV: id, payload, leaseMs, owner → 1 accepted, 0 when the
 * id is in flight or was completed within the done window.
 */
export const ACCEPT = new LuaScript(`${NOW}
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('ZSCORE', KEYS[4], ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ payload = ARGV[2], acceptedAt = now, attempts = 1 }))
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
return 1
`);

/** KEYS: leases, owners · ARGV: leaseMs, owner, ids… → leases extended (only the owner's). */
export const RENEW = new LuaScript(`${NOW}
local renewed = 0
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[2] then
    redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
    renewed = renewed + 1
  end
end
return renewed
`);

/**
 * KEYS: entries, leases, owners · ARGV: leaseMs, owner, limit → { now, id, entry, id, entry… }:
 * entries whose lease ended, now leased to `owner`, their attempt count raised.
 */
export const TAKE_EXPIRED = new LuaScript(`${NOW}
local taken = { now }
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local raw = redis.call('HGET', KEYS[1], id)
  if raw then
    local entry = cjson.decode(raw)
    entry.attempts = entry.attempts + 1
    raw = cjson.encode(entry)
    redis.call('HSET', KEYS[1], id, raw)
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), id)
    redis.call('HSET', KEYS[3], id, ARGV[2])
    table.insert(taken, id)
    table.insert(taken, raw)
  else
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
  end
end
return taken
`);

/** KEYS: entries, leases, owners, done · ARGV: id, doneTtlMs → 1; the id is remembered as done. */
export const COMPLETE = new LuaScript(`${NOW}
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[2]))
return 1
`);
