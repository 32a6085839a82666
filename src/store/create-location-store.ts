import type { Clock, LocationStore } from './location-store.js';
import { MemoryLocationStore } from './memory.js';
import { RedisLocationStore, redisConfigured, type RedisConnectionConfig } from './redis.js';

export interface LocationStoreConfig {
  /** Present (with url, host or sentinels) → Redis; absent → in memory. */
  redis?: RedisConnectionConfig;
}

export function createLocationStore(cfg: LocationStoreConfig, deps: { clock?: Clock } = {}): LocationStore {
  const r = cfg.redis;
  if (redisConfigured(r)) {
    return new RedisLocationStore({ redis: r });
  }
  return new MemoryLocationStore({ clock: deps.clock });
}
