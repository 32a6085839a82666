import { describe, expect, it } from 'vitest';
import { MemoryLocationStore } from '../../../src/store/memory.js';
import { FakeClock } from '../auth/helpers.js';
import { binding, device, locationStoreContract } from './location-store-contract.js';

const clock = new FakeClock();
locationStoreContract('memory', {
  makeStore: async () => new MemoryLocationStore({ clock, sweepIntervalMs: 0 }),
  now: () => clock.now(),
});

describe('memory store expiry (injected clock)', () => {
  it('a record lives exactly its ttl, then disappears from every lookup', async () => {
    const clock = new FakeClock();
    const store = new MemoryLocationStore({ clock, sweepIntervalMs: 0 });
    const d = device('demo', '100_2');
    await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', clock.now()), 130);
    clock.advance(129_999);
    expect(await store.getExtensionContacts('demo', '100')).toHaveLength(1);
    clock.advance(1);
    expect(await store.getExtensionContacts('demo', '100')).toEqual([]);
    expect(await store.getDeviceBindings(d)).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('a refresh extends the record', async () => {
    const clock = new FakeClock();
    const store = new MemoryLocationStore({ clock, sweepIntervalMs: 0 });
    const d = device('demo', '100');
    await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', clock.now()), 100);
    clock.advance(90_000);
    await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', clock.now()), 100);
    clock.advance(90_000);
    expect(await store.getDeviceBindings(d)).toHaveLength(1);
  });

  it('the sweep frees expired records of devices nobody reads, a batch at a time', async () => {
    const clock = new FakeClock();
    const store = new MemoryLocationStore({ clock, sweepIntervalMs: 0, sweepBatch: 10 });
    for (let i = 0; i < 25; i++) {
      const d = device('demo', String(200 + i));
      await store.putBinding(d, binding(d, `sip:${i}@10.0.0.1`, clock.now()), 60);
    }
    clock.advance(60_000);
    store.sweep();
    expect(store.size).toBe(15);
    store.sweep();
    store.sweep();
    expect(store.size).toBe(0);
  });

  it('returned bindings are copies', async () => {
    const clock = new FakeClock();
    const store = new MemoryLocationStore({ clock, sweepIntervalMs: 0 });
    const d = device('demo', '100');
    await store.putBinding(d, binding(d, 'sip:a@10.0.0.1', clock.now()), 60);
    const [b] = await store.getDeviceBindings(d);
    b!.source.port = 1;
    expect((await store.getDeviceBindings(d))[0]!.source.port).toBe(40123);
  });
});
