import type { Logger } from 'pino';
import type { Clock, LocationStore } from './location-store.js';
import { MemoryLocationStore } from './memory.js';
import { RedisLocationStore, redisFor, type StoreBackend } from './redis.js';
import { ResilientLocationStore } from './resilient-location-store.js';
import type { StoreHealth } from './store-health.js';

export type LocationStoreConfig = StoreBackend;

export interface LocationStoreDeps {
  clock?: Clock;
  /** With both, a Redis store buffers writes and serves reads from a local cache while Redis is down. */
  health?: StoreHealth;
  log?: Logger;
}

/** Redis when configured (url, host or sentinels), else in memory. */
export function createLocationStore(cfg: LocationStoreConfig, deps: LocationStoreDeps = {}): LocationStore {
  const r = redisFor(cfg);
  if (r) {
    const inner = new RedisLocationStore(r);
    return deps.health && deps.log ? new ResilientLocationStore({ inner, health: deps.health, log: deps.log }) : inner;
  }
  return new MemoryLocationStore({ clock: deps.clock });
}
