import { MemoryCallCounterStore, type CallCounterStore } from './call-counter-store.js';
import { RedisCallCounterStore } from './redis-call-counter-store.js';
import { redisFor, type StoreBackend } from './redis.js';

/** Redis (cluster-wide counts) when configured, else per-process counts in memory. */
export function createCallCounterStore(cfg: StoreBackend, opts: { slotTtlMs?: number; onRenewError?: (err: unknown) => void } = {}): CallCounterStore {
  const r = redisFor(cfg);
  if (r) return new RedisCallCounterStore({ ...r, ...opts });
  return new MemoryCallCounterStore();
}
