import type { Redis } from 'ioredis';
import { adoptRedis, redisFor, type RedisConnectionConfig, type StoreBackend } from './redis.js';
import { LuaScript } from './redis-scripts.js';

/**
 * Named leases with expiry: the instance holding one does a job (e.g. registers a trunk) that
 * exactly one instance may do. The holder renews before expiry; when it dies the lease expires
 * and another instance takes it over.
 */
export interface LeaseStore {
  /** Takes the lease or renews ours; false when another holder has it. */
  hold(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives our lease up (no-op when another holds it). */
  release(name: string, holder: string): Promise<void>;
  close(): Promise<void>;
}

/** One process: every lease is ours. */
export class MemoryLeaseStore implements LeaseStore {
  async hold(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
  async close(): Promise<void> {}
}

/** KEYS[1] lease; ARGV[1] holder, ARGV[2] ttl ms. Take when free, renew when ours. */
const HOLD = new LuaScript(`
local v = redis.call('GET', KEYS[1])
if v == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
elseif v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`);

/** `<prefix>:lease:<name>` = holder id, with PEXPIRE = ttl. */
export class RedisLeaseStore implements LeaseStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(opts: { redis: Redis | RedisConnectionConfig; keyPrefix?: string }) {
    ({ redis: this.redis, owned: this.owned, prefix: this.prefix } = adoptRedis(opts.redis, opts.keyPrefix));
  }

  async hold(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return Number(await HOLD.run(this.redis, [`${this.prefix}:lease:${name}`], [holder, ttlMs])) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await RELEASE.run(this.redis, [`${this.prefix}:lease:${name}`], [holder]);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => undefined);
  }
}

export function createLeaseStore(cfg: StoreBackend): LeaseStore {
  const r = redisFor(cfg);
  if (r) return new RedisLeaseStore(r);
  return new MemoryLeaseStore();
}
