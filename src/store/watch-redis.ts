import type { Redis } from 'ioredis';
import type { StoreHealth } from './store-health.js';

/**
 * Feeds a client's connection events to the store health. The `error` listener also keeps
 * ioredis from printing "Unhandled error event" lines: the health logs each outage once.
 *
 * Once the first connection is made the offline queue is switched off: while the store is down
 * a command fails at once (the caller falls back) instead of waiting for a reconnection, and
 * nothing queued during an outage is replayed, late, over newer data when the store comes back.
 * Before that first connection, commands wait for it (bounded by the command timeout), so an
 * instance starting together with its Redis does not fail its first requests.
 */
export function watchRedis(client: Redis, health: StoreHealth): void {
  client.on('error', (err: unknown) => health.errored(err));
  client.on('ready', () => {
    client.options.enableOfflineQueue = false;
    health.connected();
  });
  client.on('close', () => health.lost());
  client.on('end', () => health.lost('connection ended'));
}
