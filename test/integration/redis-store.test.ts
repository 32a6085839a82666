import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisLocationStore } from '../../src/store/redis.js';
import { LocationStoreConflict } from '../../src/store/location-store.js';
import { Registrar } from '../../src/app/registrar/registrar.js';
import type { RegisterFacts } from '../../src/app/registrar/register-decision.js';
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

describe('redis store: conditional updates (one round trip per REGISTER refresh, no lost contact)', () => {
  const facts = (tenant: string, contact: string, callId: string, cseq: number): RegisterFacts => ({
    tenant,
    extension: '100',
    deviceUser: '100',
    contacts: [`<${contact}>`],
    expires: '300',
    callId,
    cseq,
    source: { address: '203.0.113.9', port: 40000, transport: 'udp' },
  });

  it('after its own write an instance answers readDeviceForUpdate from memory, and a write on that is accepted', async () => {
    const a = new RedisLocationStore({ redis: { url: server.url } });
    const d = device(uniqueTenant(), '100');
    const first = await a.readDeviceForUpdate(d, false);
    expect(first).toMatchObject({ bindings: [], version: 0, cached: false });
    await a.updateDeviceBindings(d, { put: [{ binding: binding(d, 'sip:a@10.0.0.1', Date.now()), ttlSeconds: 150 }] }, first.version);
    const second = await a.readDeviceForUpdate(d, false);
    expect(second.cached).toBe(true);
    expect(second.bindings.map((b) => b.contactUri)).toEqual(['sip:a@10.0.0.1']);
    await a.updateDeviceBindings(d, { put: [{ binding: binding(d, 'sip:a@10.0.0.1', Date.now(), { cseq: 2 }), ttlSeconds: 150 }] }, second.version);
    expect((await a.getDeviceBindings(d)).map((b) => b.cseq)).toEqual([2]);
    await a.close();
  });

  it('a write based on a stale view is refused with LocationStoreConflict and changes nothing', async () => {
    const a = new RedisLocationStore({ redis: { url: server.url } });
    const b = new RedisLocationStore({ redis: { url: server.url } });
    const d = device(uniqueTenant(), '100');
    const seenByA = await a.readDeviceForUpdate(d, true);
    await b.putBinding(d, binding(d, 'sip:b@10.0.0.2', Date.now()), 150);
    const late = a.updateDeviceBindings(d, { removeAll: true, put: [{ binding: binding(d, 'sip:a@10.0.0.1', Date.now()), ttlSeconds: 150 }] }, seenByA.version);
    await expect(late).rejects.toBeInstanceOf(LocationStoreConflict);
    expect((await a.getDeviceBindings(d)).map((x) => x.contactUri)).toEqual(['sip:b@10.0.0.2']);
    await a.close();
    await b.close();
  });

  it('two registrar instances racing on one device: the one with a stale memory reads again, no contact is lost', async () => {
    const storeA = new RedisLocationStore({ redis: { url: server.url } });
    const storeB = new RedisLocationStore({ redis: { url: server.url } });
    const a = new Registrar({ store: storeA });
    const b = new Registrar({ store: storeB });
    const tenant = uniqueTenant();
    expect((await a.register(facts(tenant, 'sip:100@10.0.0.1:5060', 'call-a', 1))).status).toBe(200);
    expect((await b.register(facts(tenant, 'sip:100@10.0.0.2:5060', 'call-b', 1))).status).toBe(200);
    // A's memory of the device predates B's contact: its refresh must not drop it
    const refresh = await a.register(facts(tenant, 'sip:100@10.0.0.1:5060', 'call-a', 2));
    expect(refresh.status).toBe(200);
    expect((await a.contactsOf(tenant, '100')).map((x) => x.contactUri).sort()).toEqual(['sip:100@10.0.0.1:5060', 'sip:100@10.0.0.2:5060']);
    await storeA.close();
    await storeB.close();
  });

  it('many REGISTERs of one device at once on one instance all succeed: they are handled one after the other', async () => {
    const store = new RedisLocationStore({ redis: { url: server.url } });
    const registrar = new Registrar({ store });
    const tenant = uniqueTenant();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => registrar.register(facts(tenant, 'sip:100@10.0.0.1:5060', `call-${i}`, 1))));
    expect(outcomes.map((o) => o.status)).toEqual(Array(20).fill(200));
    expect(await registrar.contactsOf(tenant, '100')).toHaveLength(1);
    await store.close();
  });

  it("the version key dies with the device's last binding", async () => {
    const client = new Redis(server.url);
    const store = new RedisLocationStore({ redis: client });
    const d = device(uniqueTenant(), '100');
    await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', Date.now()), 150);
    const vkey = `loc:{${d.tenant}/100}:v:100`;
    expect(Number(await client.get(vkey))).toBe(1);
    expect(await client.pttl(vkey)).toBeGreaterThan(140_000);
    await store.removeAllDeviceBindings(d);
    expect(await client.exists(vkey)).toBe(0);
    await store.close();
    client.disconnect();
  });
});
