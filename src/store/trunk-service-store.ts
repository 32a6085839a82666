import type { Redis } from 'ioredis';
import { adoptRedis, redisFor, type RedisConnectionConfig, type StoreBackend } from './redis.js';

/** A trunk an operator took out of service: calls skip it (as a watchdog-down trunk) until it is put back. */
export interface OutOfService {
  /** epoch ms */
  since: number;
  /** who did it, as the admin API logged it (source address, and the actor header when sent) */
  by: string;
  reason?: string;
}

/**
 * Which trunks are out of service, per tenant. In Redis every instance sees the same state (one
 * hash per tenant, `<prefix>:oos:<tenant>`, field = trunk) and a restart keeps it; in memory it
 * lasts the process.
 */
export interface TrunkServiceStore {
  outOfService(tenant: string): Promise<ReadonlyMap<string, OutOfService>>;
  /** `undefined` puts the trunk back in service; returns whether it was out before. */
  set(tenant: string, trunk: string, state: OutOfService | undefined): Promise<boolean>;
  close(): Promise<void>;
}

export class MemoryTrunkServiceStore implements TrunkServiceStore {
  private readonly byTenant = new Map<string, Map<string, OutOfService>>();

  async outOfService(tenant: string): Promise<ReadonlyMap<string, OutOfService>> {
    return new Map(this.byTenant.get(tenant));
  }

  async set(tenant: string, trunk: string, state: OutOfService | undefined): Promise<boolean> {
    let m = this.byTenant.get(tenant);
    const was = m?.has(trunk) ?? false;
    if (state === undefined) {
      m?.delete(trunk);
      return was;
    }
    if (m === undefined) this.byTenant.set(tenant, (m = new Map()));
    m.set(trunk, { ...state });
    return was;
  }

  async close(): Promise<void> {}
}

export class RedisTrunkServiceStore implements TrunkServiceStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(opts: { redis: Redis | RedisConnectionConfig; keyPrefix?: string }) {
    ({ redis: this.redis, owned: this.owned, prefix: this.prefix } = adoptRedis(opts.redis, opts.keyPrefix));
  }

  private key(tenant: string): string {
    return `${this.prefix}:oos:${tenant}`;
  }

  async outOfService(tenant: string): Promise<ReadonlyMap<string, OutOfService>> {
    const h = await this.redis.hgetall(this.key(tenant));
    const out = new Map<string, OutOfService>();
    for (const [trunk, json] of Object.entries(h)) {
      const v = parse(json);
      if (v !== undefined) out.set(trunk, v);
    }
    return out;
  }

  async set(tenant: string, trunk: string, state: OutOfService | undefined): Promise<boolean> {
    if (state === undefined) return (await this.redis.hdel(this.key(tenant), trunk)) > 0;
    return (await this.redis.hset(this.key(tenant), trunk, JSON.stringify(state))) === 0;
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => undefined);
  }
}

function parse(json: string): OutOfService | undefined {
  try {
    const v = JSON.parse(json) as Partial<OutOfService>;
    if (typeof v.since !== 'number' || typeof v.by !== 'string') return undefined;
    return { since: v.since, by: v.by, ...(typeof v.reason === 'string' && { reason: v.reason }) };
  } catch {
    return undefined;
  }
}

export function createTrunkServiceStore(cfg: StoreBackend): TrunkServiceStore {
  const r = redisFor(cfg);
  if (r) return new RedisTrunkServiceStore(r);
  return new MemoryTrunkServiceStore();
}
