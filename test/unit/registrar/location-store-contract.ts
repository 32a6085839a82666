import { describe, expect, it } from 'vitest';
import type { Binding, DeviceRef, LocationStore } from '../../../src/store/location-store.js';

/**
 * Behaviour every LocationStore adapter must have. `wallClock` is the time base the store's
 * records are judged by (fake for memory, real for Redis); only ordering, not expiry, is tested
 * here — expiry needs adapter-specific time control.
 */
export interface ContractContext {
  makeStore(): Promise<LocationStore>;
  now(): number;
}

let seq = 0;
export function uniqueTenant(): string {
  return `t${process.pid}-${Date.now()}-${++seq}`;
}

export function device(tenant: string, deviceUser: string): DeviceRef {
  const extension = deviceUser.split('_')[0]!;
  return { tenant, extension, deviceUser };
}

export function binding(ref: DeviceRef, contactUri: string, now: number, over: Partial<Binding> = {}): Binding {
  return {
    bindingId: contactUri,
    contactUri,
    deviceUser: ref.deviceUser,
    extension: ref.extension,
    expiresAt: now + 120_000,
    callId: 'call-1',
    cseq: 1,
    source: { address: '203.0.113.7', port: 40123, transport: 'udp' },
    ...over,
  };
}

export function locationStoreContract(name: string, ctx: ContractContext): void {
  describe(`${name}: LocationStore contract`, () => {
    it('a put binding is read back with every field', async () => {
      const store = await ctx.makeStore();
      const d = device(uniqueTenant(), '100');
      const b = binding(d, 'sip:100@192.168.1.20:5060;transport=tcp', ctx.now(), {
        instanceId: '<urn:uuid:0001>',
        regId: 1,
        userAgent: 'Yealink T46U',
        source: { address: '2001:db8::7', port: 5062, transport: 'tcp' },
        bindingId: '<urn:uuid:0001>;reg-id=1',
      });
      await store.putBinding(d, b, 150);
      expect(await store.getDeviceBindings(d)).toEqual([b]);
      await store.close();
    });

    it('several contacts per device; a device only sees its own', async () => {
      const store = await ctx.makeStore();
      const tenant = uniqueTenant();
      const d1 = device(tenant, '100');
      const d2 = device(tenant, '100_2');
      await store.putBinding(d1, binding(d1, 'sip:a@10.0.0.1', ctx.now()), 150);
      await store.putBinding(d1, binding(d1, 'sip:b@10.0.0.2', ctx.now()), 150);
      await store.putBinding(d2, binding(d2, 'sip:c@10.0.0.3', ctx.now()), 150);
      expect((await store.getDeviceBindings(d1)).map((b) => b.contactUri).sort()).toEqual(['sip:a@10.0.0.1', 'sip:b@10.0.0.2']);
      expect((await store.getDeviceBindings(d2)).map((b) => b.contactUri)).toEqual(['sip:c@10.0.0.3']);
      await store.close();
    });

    it('extension contacts gather every device of the extension, and only of that tenant', async () => {
      const store = await ctx.makeStore();
      const tenant = uniqueTenant();
      const other = uniqueTenant();
      for (const u of ['100', '100_2', '100_3']) {
        const d = device(tenant, u);
        await store.putBinding(d, binding(d, `sip:${u}@10.0.0.9`, ctx.now()), 150);
      }
      const d101 = device(tenant, '101');
      await store.putBinding(d101, binding(d101, 'sip:101@10.0.0.9', ctx.now()), 150);
      const o = device(other, '100');
      await store.putBinding(o, binding(o, 'sip:x@10.9.9.9', ctx.now()), 150);
      const all = await store.getExtensionContacts(tenant, '100');
      expect(all.map((b) => b.deviceUser).sort()).toEqual(['100', '100_2', '100_3']);
      expect(await store.getExtensionContacts(tenant, '102')).toEqual([]);
      await store.close();
    });

    it('a put with the same bindingId replaces the previous record', async () => {
      const store = await ctx.makeStore();
      const d = device(uniqueTenant(), '100');
      await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', ctx.now(), { cseq: 1 }), 150);
      await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', ctx.now(), { cseq: 2, userAgent: 'x' }), 150);
      const got = await store.getDeviceBindings(d);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ cseq: 2, userAgent: 'x' });
      await store.close();
    });

    it('a rewrite drops optional fields that are no longer sent', async () => {
      const store = await ctx.makeStore();
      const d = device(uniqueTenant(), '100');
      await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', ctx.now(), { userAgent: 'old' }), 150);
      await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', ctx.now()), 150);
      expect((await store.getDeviceBindings(d))[0]!.userAgent).toBeUndefined();
      await store.close();
    });

    it('removeBinding removes one; removeAllDeviceBindings removes the device only', async () => {
      const store = await ctx.makeStore();
      const tenant = uniqueTenant();
      const d1 = device(tenant, '100');
      const d2 = device(tenant, '100_2');
      await store.putBinding(d1, binding(d1, 'sip:a@10.0.0.1', ctx.now()), 150);
      await store.putBinding(d1, binding(d1, 'sip:b@10.0.0.2', ctx.now()), 150);
      await store.putBinding(d2, binding(d2, 'sip:c@10.0.0.3', ctx.now()), 150);
      await store.removeBinding(d1, 'sip:a@10.0.0.1');
      expect((await store.getDeviceBindings(d1)).map((b) => b.contactUri)).toEqual(['sip:b@10.0.0.2']);
      await store.removeAllDeviceBindings(d1);
      expect(await store.getDeviceBindings(d1)).toEqual([]);
      expect((await store.getExtensionContacts(tenant, '100')).map((b) => b.deviceUser)).toEqual(['100_2']);
      await store.close();
    });

    it('updateDeviceBindings applies removeAll, removals and writes together', async () => {
      const store = await ctx.makeStore();
      const d = device(uniqueTenant(), '100');
      await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', ctx.now()), 150);
      await store.updateDeviceBindings(d, {
        removeAll: true,
        put: [
          { binding: binding(d, 'sip:n1@10.0.0.1', ctx.now()), ttlSeconds: 150 },
          { binding: binding(d, 'sip:n2@10.0.0.1', ctx.now()), ttlSeconds: 150 },
        ],
      });
      expect((await store.getDeviceBindings(d)).map((b) => b.contactUri).sort()).toEqual(['sip:n1@10.0.0.1', 'sip:n2@10.0.0.1']);
      await store.close();
    });

    it('removing something that does not exist is harmless', async () => {
      const store = await ctx.makeStore();
      const d = device(uniqueTenant(), '100');
      await store.removeBinding(d, 'sip:none@10.0.0.1');
      await store.removeAllDeviceBindings(d);
      expect(await store.getDeviceBindings(d)).toEqual([]);
      await store.close();
    });

    it('names with separators and odd characters do not collide', async () => {
      const store = await ctx.makeStore();
      const tenant = uniqueTenant();
      const a: DeviceRef = { tenant, extension: 'a', deviceUser: 'a:b' };
      const b: DeviceRef = { tenant, extension: 'a', deviceUser: 'a' };
      await store.putBinding(a, binding(a, 'sip:{x}@10.0.0.1', ctx.now()), 150);
      expect(await store.getDeviceBindings(b)).toEqual([]);
      expect(await store.getDeviceBindings(a)).toHaveLength(1);
      await store.close();
    });
  });
}
