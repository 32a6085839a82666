import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RedisCallCounterStore } from '../../src/store/redis-call-counter-store.js';

// The Redis call counters alone (no SIP): atomic across instances, self-healing, idempotent release.
let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

const store = (slotTtlMs = 30_000) => new RedisCallCounterStore({ redis: { url: redis.url }, keyPrefix: `t${Math.random().toString(36).slice(2)}`, slotTtlMs });

describe('Redis call counters', () => {
  it('40 concurrent acquires from two instances against a maximum of 5: exactly 5 succeed', async () => {
    const prefix = 'race';
    const x = new RedisCallCounterStore({ redis: { url: redis.url }, keyPrefix: prefix });
    const y = new RedisCallCounterStore({ redis: { url: redis.url }, keyPrefix: prefix });
    try {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? x : y).acquire([{ scope: 's', max: 5 }], false)));
      expect(results.filter((r) => r.ok)).toHaveLength(5);
      expect(await x.counts(['s'])).toEqual([5]);
    } finally {
      await x.close();
      await y.close();
    }
  });

  it('a slot taken in two scopes is refused when either is full; force (emergency) takes it anyway; release is idempotent', async () => {
    const s = store();
    try {
      const first = await s.acquire([{ scope: 'out' }, { scope: 'total', max: 1 }], false);
      expect(first.ok).toBe(true);
      expect(
        await s.acquire(
          [
            { scope: 'out', max: 10 },
            { scope: 'total', max: 1 },
          ],
          false,
        ),
      ).toEqual({ ok: false, full: 'total' });
      const forced = await s.acquire([{ scope: 'out' }, { scope: 'total', max: 1 }], true);
      expect(forced.ok).toBe(true);
      expect(await s.counts(['out', 'total'])).toEqual([2, 2]);
      if (first.ok) {
        await s.release(['out', 'total'], first.slot);
        await s.release(['out', 'total'], first.slot);
      }
      expect(await s.counts(['out', 'total'])).toEqual([1, 1]);
    } finally {
      await s.close();
    }
  });

  it("a dead instance's slots expire on their own; a live instance's are renewed past the TTL", async () => {
    const prefix = 'heal';
    const dead = new RedisCallCounterStore({ redis: { url: redis.url }, keyPrefix: prefix, slotTtlMs: 400 });
    const live = new RedisCallCounterStore({ redis: { url: redis.url }, keyPrefix: prefix, slotTtlMs: 400 });
    try {
      expect((await dead.acquire([{ scope: 'trunk' }], false)).ok).toBe(true);
      expect((await live.acquire([{ scope: 'trunk' }], false)).ok).toBe(true);
      await dead.close(); // stops renewing without releasing: as if the process died
      await new Promise((r) => setTimeout(r, 1000));
      expect(await live.counts(['trunk'])).toEqual([1]);
      const raw = new Redis(redis.url);
      expect(await raw.zcard(`${prefix}:lim:trunk`)).toBe(1);
      await raw.quit();
    } finally {
      await live.close();
    }
  });
});
