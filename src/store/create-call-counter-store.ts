import { MemoryCallCounterStore, type CallCounterStore } from './call-counter-store.js';
import { RedisCallCounterStore } from './redis-call-counter-store.js';
import { redisConfigured, type RedisConnectionConfig } from './redis.js';

/** Redis (cluster-wide counts) when configured, else per-process counts in memory. */
export function createCallCounterStore(cfg: { redis?: RedisConnectionConfig }, opts: { slotTtlMs?: number; onRenewError?: (err: unknown) => void } = {}): CallCounterStore {
  const r = cfg.redis;
  if (redisConfigured(r)) return new RedisCallCounterStore({ redis: r, ...opts });
  return new MemoryCallCounterStore();
}
