import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { startRestartableRedisServer, type RestartableRedisServer } from '../helpers/redis-server.js';
import { capturingLogger } from '../unit/store/log-capture.js';
import { connectRedis, LocationStoreError, RedisLocationStore, ResilientLocationStore, StoreHealth, watchRedis, type Binding, type DeviceRef } from '../../src/store/index.js';

// A real redis-server on 127.12.0.3, killed (SIGKILL) and started again on the same port.
const HOST = '127.12.0.3';
let server: RestartableRedisServer;
let client: Redis;
let health: StoreHealth;
let store: ResilientLocationStore;
let captured: ReturnType<typeof capturingLogger>;
const consoleErrors: unknown[][] = [];

const dev = (deviceUser: string): DeviceRef => ({ tenant: 'demo', extension: deviceUser.replace(/_\d+$/, ''), deviceUser });
const binding = (deviceUser: string, cseq: number, port = 5060): Binding => {
  const contactUri = `sip:${deviceUser}@127.12.0.40:${port}`;
  return {
    bindingId: contactUri,
    contactUri,
    deviceUser,
    extension: deviceUser.replace(/_\d+$/, ''),
    expiresAt: Date.now() + 120_000,
    callId: `call-${deviceUser}`,
    cseq,
    source: { address: '127.12.0.40', port, transport: 'udp' },
  };
};
const put = (b: Binding) => ({ put: [{ binding: b, ttlSeconds: 150 }] });

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void consoleErrors.push(args));
  server = await startRestartableRedisServer({ host: HOST });
  captured = capturingLogger();
  client = connectRedis({ url: server.url });
  health = new StoreHealth({ log: captured.log, probe: () => client.ping(), probeEveryMs: 200 });
  watchRedis(client, health);
  store = new ResilientLocationStore({ inner: new RedisLocationStore({ redis: client }), health, log: captured.log, retryEveryMs: 200 });
  await until('the store up', () => health.state === 'up');
});
afterAll(async () => {
  await store?.close();
  health?.stop();
  client?.disconnect();
  await server?.stop();
  vi.restoreAllMocks();
});
afterEach(async () => {
  if (health.state !== 'up') {
    await server.restart();
    await until('the store up', () => health.state === 'up');
  }
});

describe('location store during a Redis outage (real redis-server killed and restarted)', () => {
  it('reads fall back to the bindings this instance has seen; unknown extensions fail at once; writes are buffered and the newest is written when Redis is back', async () => {
    await store.updateDeviceBindings(dev('100'), put(binding('100', 1)));
    await store.updateDeviceBindings(dev('100_2'), put(binding('100_2', 1)));
    await store.updateDeviceBindings(dev('105'), put(binding('105', 1)));
    expect((await store.getExtensionContacts('demo', '100')).map((b) => b.deviceUser).sort()).toEqual(['100', '100_2']);

    await server.kill();
    await until('the store down', () => health.state === 'down');
    // known extension: from the cache
    expect((await store.getExtensionContacts('demo', '100')).map((b) => b.deviceUser).sort()).toEqual(['100', '100_2']);
    // never looked up here: the store cannot say, and nothing waits for it
    const unknown = await store.getExtensionContacts('demo', '101').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(unknown).toBeInstanceOf(LocationStoreError);
    expect((unknown as LocationStoreError).code).toBe('unavailable');

    // REGISTERs during the outage: 100 refreshed twice (newest wins), 100_2 moved, 105 unregistered
    await store.updateDeviceBindings(dev('100'), put(binding('100', 2)), 7);
    await store.updateDeviceBindings(dev('100'), put(binding('100', 3)));
    const snap = await store.readDeviceForUpdate(dev('100_2'), true);
    expect(snap.bindings.map((b) => b.cseq)).toEqual([1]);
    await store.updateDeviceBindings(dev('100_2'), { remove: [binding('100_2', 1).bindingId], put: [{ binding: binding('100_2', 2, 5070), ttlSeconds: 150 }] });
    await store.updateDeviceBindings(dev('105'), { removeAll: true });
    expect(store.pendingWrites).toBe(3);
    expect((await store.getExtensionContacts('demo', '100')).map((b) => [b.deviceUser, b.cseq, b.source.port]).sort()).toEqual([
      ['100', 3, 5060],
      ['100_2', 2, 5070],
    ]);
    expect(await store.getExtensionContacts('demo', '105')).toEqual([]);

    await server.restart();
    await until('the store up', () => health.state === 'up');
    await until('the buffer written', () => store.pendingWrites === 0);

    // what another instance reads from Redis now: the newest bindings (the restarted Redis started empty)
    const other = new Redis(server.url);
    try {
      const fresh = new RedisLocationStore({ redis: other });
      expect((await fresh.getExtensionContacts('demo', '100')).map((b) => [b.deviceUser, b.cseq, b.source.port]).sort()).toEqual([
        ['100', 3, 5060],
        ['100_2', 2, 5070],
      ]);
      expect(await fresh.getExtensionContacts('demo', '105')).toEqual([]);
    } finally {
      other.disconnect();
    }
  });

  it('a REGISTER of a device with a buffered change waits for that change to be written first, so nothing older lands on top', async () => {
    await server.kill();
    await until('the store down', () => health.state === 'down');
    await store.updateDeviceBindings(dev('106'), put(binding('106', 5)));
    await server.restart();
    // no waiting for the flush: the next write of the device goes after the buffered one
    await until('the connection ready', () => client.status === 'ready');
    await store.updateDeviceBindings(dev('106'), put(binding('106', 6)));
    await until('the buffer written', () => store.pendingWrites === 0);
    const other = new Redis(server.url);
    try {
      expect((await new RedisLocationStore({ redis: other }).getExtensionContacts('demo', '106')).map((b) => b.cseq)).toEqual([6]);
    } finally {
      other.disconnect();
    }
  });

  it('each outage is logged once as a JSON error line with its cause, each recovery once; ioredis prints nothing of its own', () => {
    const lines = captured.lines().filter((l) => l.store === 'redis');
    const downs = lines.filter((l) => String(l.msg).startsWith('store down'));
    const ups = lines.filter((l) => String(l.msg).startsWith('store back up'));
    expect(downs.length).toBe(2);
    expect(ups.length).toBe(2);
    expect(downs.every((l) => l.level === 50 && typeof l.cause === 'string' && l.cause.length > 0)).toBe(true);
    expect(health.snapshot().outages).toBe(2);
    expect(consoleErrors.filter((a) => String(a[0]).includes('ioredis'))).toEqual([]);
  });
});
