import { describe, expect, it } from 'vitest';
import { Registrar } from '../../../src/app/registrar/registrar.js';
import type { RegisterFacts } from '../../../src/app/registrar/register-decision.js';
import { MemoryLocationStore } from '../../../src/store/memory.js';
import { RegistrarError } from '../../../src/app/registrar/errors.js';
import { LocationStoreError, type LocationStore } from '../../../src/store/location-store.js';
import { FakeClock } from '../auth/helpers.js';

function setup() {
  const clock = new FakeClock();
  const store = new MemoryLocationStore({ clock, sweepIntervalMs: 0 });
  return { clock, store, registrar: new Registrar({ store, clock }) };
}

const reg = (deviceUser: string, over: Partial<RegisterFacts> = {}): RegisterFacts => ({
  tenant: 'demo',
  extension: '100',
  deviceUser,
  contacts: [`<sip:${deviceUser}@192.168.1.${deviceUser.length}:5060>`],
  expires: '120',
  callId: `call-${deviceUser}`,
  cseq: 1,
  source: { address: '203.0.113.7', port: 40000, transport: 'udp' },
  ...over,
});

describe('Registrar over a location store', () => {
  it('100, 100_2 and 100_3 registered → a call to 100 sees all three devices', async () => {
    const { registrar } = setup();
    for (const u of ['100', '100_2', '100_3']) expect((await registrar.register(reg(u))).status).toBe(200);
    expect((await registrar.contactsOf('demo', '100')).map((b) => b.deviceUser).sort()).toEqual(['100', '100_2', '100_3']);
  });

  it('refresh extends the stored binding', async () => {
    const { registrar, clock } = setup();
    await registrar.register(reg('100'));
    clock.advance(100_000);
    const out = await registrar.register(reg('100', { cseq: 2 }));
    expect(out).toMatchObject({ kind: 'ok', contacts: ['<sip:100@192.168.1.3:5060>;expires=120'] });
    clock.advance(100_000);
    expect(await registrar.contactsOf('demo', '100')).toHaveLength(1);
  });

  it("the 200 states the soonest binding's remaining seconds (its Expires), none without bindings", async () => {
    const { registrar, clock } = setup();
    await registrar.register(reg('100', { contacts: ['<sip:a@10.0.0.1>;expires=300'] }));
    clock.advance(10_000);
    const out = await registrar.register(reg('100', { contacts: ['<sip:b@10.0.0.2>;expires=3600'], cseq: 2 }));
    expect(out).toMatchObject({ kind: 'ok', soonestExpires: 290 });
    const none = await registrar.register(reg('100', { contacts: ['*'], expires: '0', cseq: 3 }));
    expect(none.kind === 'ok' && none.soonestExpires).toBeUndefined();
  });

  it('an unrefreshed binding stops being a contact at its expiry, and the store forgets it after the grace', async () => {
    const { registrar, store, clock } = setup();
    await registrar.register(reg('100'));
    clock.advance(120_000);
    expect(await registrar.contactsOf('demo', '100')).toEqual([]);
    clock.advance(registrar.rules.graceSeconds * 1000);
    expect(await store.getExtensionContacts('demo', '100')).toEqual([]);
  });

  it('unregister one contact, then all contacts', async () => {
    const { registrar } = setup();
    await registrar.register(reg('100', { contacts: ['<sip:a@10.0.0.1>', '<sip:b@10.0.0.2>'] }));
    const one = await registrar.register(reg('100', { contacts: ['<sip:a@10.0.0.1>;expires=0'], cseq: 2 }));
    expect(one).toMatchObject({ kind: 'ok', contacts: ['<sip:b@10.0.0.2>;expires=120'], removed: 1 });
    const all = await registrar.register(reg('100', { contacts: ['*'], expires: '0', cseq: 3 }));
    expect(all).toMatchObject({ kind: 'ok', contacts: [], removed: 1 });
    expect(await registrar.contactsOf('demo', '100')).toEqual([]);
  });

  it("Contact: * removes only that device's contacts, not the other devices of the extension", async () => {
    const { registrar } = setup();
    await registrar.register(reg('100'));
    await registrar.register(reg('100_2'));
    await registrar.register(reg('100_2', { contacts: ['*'], expires: 0, cseq: 2 }));
    expect((await registrar.contactsOf('demo', '100')).map((b) => b.deviceUser)).toEqual(['100']);
  });

  it('a rejected REGISTER changes nothing', async () => {
    const { registrar } = setup();
    await registrar.register(reg('100'));
    expect(await registrar.register(reg('100', { contacts: ['<sip:new@h>', '<sip:100@192.168.1.3:5060>'], cseq: 1 }))).toMatchObject({ status: 500 });
    expect((await registrar.contactsOf('demo', '100')).map((b) => b.contactUri)).toEqual(['sip:100@192.168.1.3:5060']);
  });

  it('a store outage becomes RegistrarError 503 with Retry-After', async () => {
    const broken: LocationStore = {
      getDeviceBindings: () => Promise.reject(new LocationStoreError('down', 'unavailable')),
      readDeviceForUpdate: () => Promise.reject(new LocationStoreError('down', 'unavailable')),
      updateDeviceBindings: () => Promise.reject(new LocationStoreError('down', 'unavailable')),
      putBinding: () => Promise.reject(new Error('unused')),
      removeBinding: () => Promise.reject(new Error('unused')),
      removeAllDeviceBindings: () => Promise.reject(new Error('unused')),
      getExtensionContacts: () => Promise.reject(new LocationStoreError('down', 'unavailable')),
      close: async () => {},
    };
    const registrar = new Registrar({ store: broken });
    const err = await registrar.register(reg('100')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistrarError);
    expect(err).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
  });

  it('rejects inconsistent expiry rules at construction', () => {
    expect(() => new Registrar({ store: new MemoryLocationStore({ sweepIntervalMs: 0 }), rules: { minSeconds: 300 } })).toThrow();
  });
});
