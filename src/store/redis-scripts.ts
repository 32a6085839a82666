import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Lua scripts of the Redis location store. Times come from the Redis server's clock (TIME), so
 * app instances with skewed clocks still agree on when a record dies.
 *
 * Layout (all keys of one extension share a hash tag, so they live in one slot):
 *   <p>:{tenant/ext}:idx                 sorted set: binding key → store expiry (ms)
 *   <p>:{tenant/ext}:b:<device>:<id>     hash: one binding, native PEXPIRE = granted + grace
 *   <p>:{tenant/ext}:v:<device>          integer: the device's change counter, which dies with
 *                                        its last binding (absent = 0 = no bindings)
 */

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS[1] index, KEYS[2] (optional) the device's version key; ARGV[1] member prefix ('' = every
 * device). Prunes dead index entries (a record whose score passed is already gone by PEXPIRE) and
 * returns { version, { hash as a flat array, ... }, { remaining ms of each, ... } }.
 */
export const READ_BINDINGS = `
${NOW}
local idx = KEYS[1]
redis.call('ZREMRANGEBYSCORE', idx, '-inf', now)
local members = redis.call('ZRANGE', idx, 0, -1)
local prefix = ARGV[1]
local out = {}
local ttls = {}
for _, k in ipairs(members) do
  if prefix == '' or string.sub(k, 1, #prefix) == prefix then
    local h = redis.call('HGETALL', k)
    if #h == 0 then
      redis.call('ZREM', idx, k)
    else
      out[#out + 1] = h
      ttls[#ttls + 1] = redis.call('PTTL', k)
    end
  end
end
local v = 0
if KEYS[2] then v = tonumber(redis.call('GET', KEYS[2]) or '0') end
return { v, out, ttls }
`;

/**
 * KEYS[1] index, KEYS[2] the device's version key, KEYS[3..2+R] keys to remove, KEYS[3+R..2+R+P]
 * keys to write. ARGV: expected version ('' = unconditional), R, P, device member prefix,
 * removeAll ('1' or ''), then per write: ttlMs, nFields, field, value, ...
 * A write replaces the whole hash and restarts its expiry, so a refresh always extends.
 * Returns the device's new version, or -1 (nothing changed) when it was not the expected one.
 */
export const UPDATE_BINDINGS = `
${NOW}
local idx = KEYS[1]
local vkey = KEYS[2]
if ARGV[1] ~= '' and tonumber(redis.call('GET', vkey) or '0') ~= tonumber(ARGV[1]) then return -1 end
local r = tonumber(ARGV[2])
local p = tonumber(ARGV[3])
local prefix = ARGV[4]
if ARGV[5] == '1' then
  for _, m in ipairs(redis.call('ZRANGE', idx, 0, -1)) do
    if string.sub(m, 1, #prefix) == prefix then
      redis.call('DEL', m)
      redis.call('ZREM', idx, m)
    end
  end
end
for i = 1, r do
  redis.call('DEL', KEYS[2 + i])
  redis.call('ZREM', idx, KEYS[2 + i])
end
local a = 6
for i = 1, p do
  local k = KEYS[2 + r + i]
  local ttl = tonumber(ARGV[a])
  local n = tonumber(ARGV[a + 1])
  redis.call('DEL', k)
  redis.call('HSET', k, unpack(ARGV, a + 2, a + 1 + n))
  redis.call('PEXPIRE', k, ttl)
  redis.call('ZADD', idx, string.format('%.0f', now + ttl), k)
  a = a + 2 + n
end
redis.call('ZREMRANGEBYSCORE', idx, '-inf', now)
local top = redis.call('ZRANGE', idx, -1, -1, 'WITHSCORES')
if top[2] then redis.call('PEXPIREAT', idx, string.format('%.0f', tonumber(top[2]))) end
local v = redis.call('INCR', vkey)
local last = 0
local all = redis.call('ZRANGE', idx, 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  if string.sub(all[i], 1, #prefix) == prefix and tonumber(all[i + 1]) > last then last = tonumber(all[i + 1]) end
end
if last == 0 then
  redis.call('DEL', vkey)
  return 0
end
redis.call('PEXPIREAT', vkey, string.format('%.0f', last))
return v
`;

/** EVALSHA with a fallback to EVAL when the server does not have the script cached yet. */
export class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw err;
    }
  }
}
