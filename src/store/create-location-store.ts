import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
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
    if (!deps.health || !deps.log) return inner;
    const client = cfg.client;
    return new ResilientLocationStore({
      inner,
      health: deps.health,
      log: deps.log,
      ...(client && { storeWasEmptied: emptiedSince(client, `${r.keyPrefix ?? 'loc'}:alive:${randomUUID()}`) }),
    });
  }
  return new MemoryLocationStore({ clock: deps.clock });
}

/**
 * This instance's marker key in Redis: absent when Redis lost its data (restarted without
 * persistence, or flushed) since the last check. Kept a week; at worst an expired marker makes
 * the instance write what it knows once more.
 */
function emptiedSince(client: Redis, marker: string): () => Promise<boolean> {
  return async () => (await client.set(marker, '1', 'EX', 7 * 24 * 3600, 'NX')) === 'OK';
}
