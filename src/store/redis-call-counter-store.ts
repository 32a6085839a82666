import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AcquireResult, CallCounterStore, LimitCheck } from './call-counter-store.js';
import { connectRedis, type RedisConnectionConfig } from './redis.js';
import { LuaScript } from './redis-scripts.js';

/*
 * Cluster-wide call counts, self-healing when an instance dies.
 *
 * Layout: one sorted set per scope, `<prefix>:lim:<scope>`; a member is one call slot
 * (`<instance id>:<n>`), its score the time (ms, Redis server clock) the slot dies unless renewed.
 * Every instance renews the slots it holds every ttl/3 (one script call for all of them); a
 * crashed instance stops renewing and its slots drop out of every count within `ttl`. Each script
 * first prunes members whose score has passed, so a count never includes a dead slot, and the key
 * itself carries PEXPIRE = ttl so an abandoned scope disappears entirely.
 *
 * Why a sorted set of slots rather than per-instance counters: a release removes exactly the slot
 * it took (idempotent — a double release cannot drive a count negative), the members show which
 * instance holds what, and acquire = prune + compare + add in one script, i.e. one round trip and
 * atomic across instances. A renewal re-adds its slots, so counts are right again after a Redis
 * restart that lost them.
 */

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS scopes; ARGV[1] member, ARGV[2] ttl ms, ARGV[3] force ('1'), ARGV[3+i] max of KEYS[i] (-1 none). Returns 0, or the index of the full scope. */
const ACQUIRE = new LuaScript(`${NOW}
local ttl = tonumber(ARGV[2])
for _, k in ipairs(KEYS) do redis.call('ZREMRANGEBYSCORE', k, '-inf', now) end
if ARGV[3] ~= '1' then
  for i, k in ipairs(KEYS) do
    local max = tonumber(ARGV[3 + i])
    if max >= 0 and redis.call('ZCARD', k) >= max then return i end
  end
end
for _, k in ipairs(KEYS) do
  redis.call('ZADD', k, now + ttl, ARGV[1])
  redis.call('PEXPIRE', k, ttl)
end
return 0
`);

/** KEYS scopes; ARGV[1] member. */
const RELEASE = new LuaScript(`
for _, k in ipairs(KEYS) do redis.call('ZREM', k, ARGV[1]) end
return 0
`);

/** KEYS[i] scope of the slot ARGV[1 + i]; ARGV[1] ttl ms. */
const RENEW = new LuaScript(`${NOW}
local ttl = tonumber(ARGV[1])
for i, k in ipairs(KEYS) do
  redis.call('ZADD', k, now + ttl, ARGV[1 + i])
  redis.call('PEXPIRE', k, ttl)
end
return 0
`);

/** KEYS scopes; returns the live count of each. */
const COUNT = new LuaScript(`${NOW}
local out = {}
for i, k in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now)
  out[i] = redis.call('ZCARD', k)
end
return out
`);

export interface RedisCallCounterOptions {
  redis: Redis | RedisConnectionConfig;
  keyPrefix?: string;
  /** How long a slot lives without renewal (default 30 s); renewed every ttl/3. */
  slotTtlMs?: number;
  /** Renewal failures (Redis down); the slots live on locally and are renewed on the next tick. */
  onRenewError?: (err: unknown) => void;
}

export class RedisCallCounterStore implements CallCounterStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly instance = randomUUID();
  private next = 0;
  /** Slots this instance holds → their scopes (full keys), renewed by the heartbeat. */
  private readonly held = new Map<string, readonly string[]>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: RedisCallCounterOptions) {
    const r = opts.redis;
    this.owned = !('evalsha' in r);
    this.redis = 'evalsha' in r ? r : connectRedis(r);
    this.prefix = opts.keyPrefix ?? ('evalsha' in r ? 'loc' : (r.keyPrefix ?? 'loc'));
    this.ttlMs = opts.slotTtlMs ?? 30_000;
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  private key(scope: string): string {
    return `${this.prefix}:lim:${scope}`;
  }

  async acquire(checks: readonly LimitCheck[], force: boolean): Promise<AcquireResult> {
    const slot = `${this.instance}:${++this.next}`;
    const keys = checks.map((c) => this.key(c.scope));
    const maxes = checks.map((c) => c.max ?? -1);
    const full = Number(await ACQUIRE.run(this.redis, keys, [slot, this.ttlMs, force ? '1' : '0', ...maxes]));
    if (full > 0) return { ok: false, full: checks[full - 1]!.scope };
    this.held.set(slot, keys);
    return { ok: true, slot };
  }

  async release(scopes: readonly string[], slot: string): Promise<void> {
    this.held.delete(slot);
    if (scopes.length === 0) return;
    await RELEASE.run(
      this.redis,
      scopes.map((s) => this.key(s)),
      [slot],
    );
  }

  async counts(scopes: readonly string[]): Promise<number[]> {
    if (scopes.length === 0) return [];
    const r = (await COUNT.run(
      this.redis,
      scopes.map((s) => this.key(s)),
      [],
    )) as unknown[];
    return r.map(Number);
  }

  /** One script call renews every slot this instance holds. */
  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const keys: string[] = [];
    const members: string[] = [];
    for (const [slot, scopes] of this.held) {
      for (const k of scopes) {
        keys.push(k);
        members.push(slot);
      }
    }
    try {
      await RENEW.run(this.redis, keys, [this.ttlMs, ...members]);
    } catch (err) {
      this.opts.onRenewError?.(err);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.owned) await this.redis.quit().catch(() => undefined);
  }
}
