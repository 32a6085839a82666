import type { Clock, LocationStore } from './location-store.js';
import { MemoryLocationStore } from './memory.js';
import { RedisLocationStore, type RedisConnectionConfig } from './redis.js';

export interface LocationStoreConfig {
  /** Present (with url, host or sentinels) → Redis; absent → in memory. */
  redis?: RedisConnectionConfig;
}

export function createLocationStore(cfg: LocationStoreConfig, deps: { clock?: Clock } = {}): LocationStore {
  const r = cfg.redis;
  if (r && (r.url || r.host || (r.sentinels && r.sentinels.length > 0))) {
    return new RedisLocationStore({ redis: r });
  }
  return new MemoryLocationStore({ clock: deps.clock });
}
