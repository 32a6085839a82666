import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisLocationStore } from '../../src/store/redis.js';
import { createLocationStore } from '../../src/store/create-location-store.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { binding, device, locationStoreContract, uniqueTenant } from '../unit/registrar/location-store-contract.js';

let server: RedisServerHandle;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

locationStoreContract('redis', {
  makeStore: async () => new RedisLocationStore({ redis: { url: server.url } }),
  now: () => Date.now(),
});

describe('redis store across instances', () => {
  it('bindings written by one instance are seen by a second instance (own connection)', async () => {
    const a = createLocationStore({ redis: { url: server.url } });
    const b = createLocationStore({ redis: { host: '127.0.0.1', port: server.port } });
    const tenant = uniqueTenant();
    const d = device(tenant, '100_2');
    await a.putBinding(d, binding(d, 'sip:100_2@198.51.100.4:5060', Date.now()), 150);
    expect((await b.getExtensionContacts(tenant, '100')).map((x) => x.contactUri)).toEqual(['sip:100_2@198.51.100.4:5060']);
    await a.close();
    await b.close();
  });

  it('bindings survive an application restart (store closed and recreated)', async () => {
    const tenant = uniqueTenant();
    const d = device(tenant, '100');
    const first = new RedisLocationStore({ redis: { url: server.url } });
    await first.putBinding(d, binding(d, 'sip:100@198.51.100.5', Date.now()), 150);
    await first.close();
    const second = new RedisLocationStore({ redis: { url: server.url } });
    expect(await second.getDeviceBindings(d)).toHaveLength(1);
    await second.close();
  });

  it('bindings expire on time by themselves, and the index is pruned', async () => {
    const client = new Redis(server.url);
    const store = new RedisLocationStore({ redis: client });
    const tenant = uniqueTenant();
    const d = device(tenant, '100');
    const start = Date.now();
    await store.putBinding(d, binding(d, 'sip:short@10.0.0.1', start), 1);
    await store.putBinding(d, binding(d, 'sip:long@10.0.0.1', start), 2);
    expect(await store.getDeviceBindings(d)).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1_150));
    expect((await store.getExtensionContacts(tenant, '100')).map((b) => b.contactUri)).toEqual(['sip:long@10.0.0.1']);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await store.getExtensionContacts(tenant, '100')).toEqual([]);
    // Nothing is left behind: neither binding hashes nor the index.
    expect(await client.keys(`loc:{${tenant}/100}*`)).toEqual([]);
    await store.close();
    client.disconnect();
  });

  it('a refresh always extends the record (TTL restarts)', async () => {
    const client = new Redis(server.url);
    const store = new RedisLocationStore({ redis: client });
    const d = device(uniqueTenant(), '100');
    await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', Date.now()), 5);
    await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', Date.now(), { cseq: 2 }), 3600);
    const keys = await client.keys(`loc:{${d.tenant}/100}:b:*`);
    expect(keys).toHaveLength(1);
    expect(await client.pttl(keys[0]!)).toBeGreaterThan(3_590_000);
    expect(await client.pttl(`loc:{${d.tenant}/100}:idx`)).toBeGreaterThan(3_590_000);
    await store.close();
    client.disconnect();
  });

  it('a Redis outage surfaces as a LocationStoreError (unavailable)', async () => {
    const store = new RedisLocationStore({ redis: { host: '127.0.0.1', port: 1 } });
    await expect(store.getDeviceBindings(device('x', '100'))).rejects.toMatchObject({ name: 'LocationStoreError', code: 'unavailable' });
    await store.close();
  });
});
