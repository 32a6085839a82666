import { describe, expect, it } from 'vitest';
import { BindingCache } from '../../../src/store/binding-cache.js';
import { WriteBehind } from '../../../src/store/write-behind.js';
import type { Binding, DeviceRef } from '../../../src/store/location-store.js';

const NOW = 1_000_000;
const dev = (deviceUser: string, extension = deviceUser.replace(/_\d+$/, '')): DeviceRef => ({ tenant: 'demo', extension, deviceUser });
const binding = (deviceUser: string, id: string, expiresAt = NOW + 60_000, cseq = 1): Binding => ({
  bindingId: id,
  contactUri: `sip:${deviceUser}@10.0.0.1:5060;${id}`,
  deviceUser,
  extension: deviceUser.replace(/_\d+$/, ''),
  expiresAt,
  callId: `c-${deviceUser}`,
  cseq,
  source: { address: '127.12.0.9', port: 5060, transport: 'udp' },
});

describe('binding cache', () => {
  it('serves what the store last answered for an extension, without expired bindings; unknown is undefined', () => {
    const c = new BindingCache();
    expect(c.extension('demo', '100', NOW)).toBeUndefined();
    c.setExtension('demo', '100', [binding('100', 'a'), binding('100_2', 'b'), binding('100_3', 'old', NOW - 1)]);
    expect(
      c
        .extension('demo', '100', NOW)!
        .map((b) => b.bindingId)
        .sort(),
    ).toEqual(['a', 'b']);
    // known, but nothing live: an empty list (the call gets 480, not 503)
    c.setExtension('demo', '101', []);
    expect(c.extension('demo', '101', NOW)).toEqual([]);
    expect(c.extension('demo', '100', NOW + 61_000)).toEqual([]);
  });

  it('follows writes: a refresh replaces the binding, a removal and Contact * remove it', () => {
    const c = new BindingCache();
    c.setDevice(dev('100'), [binding('100', 'a')]);
    c.applyChange(dev('100'), {
      put: [
        { binding: binding('100', 'a', NOW + 120_000, 2), ttlSeconds: 150 },
        { binding: binding('100', 'b'), ttlSeconds: 90 },
      ],
    });
    expect(c.device(dev('100'), NOW)!.map((b) => [b.bindingId, b.cseq])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    c.applyChange(dev('100'), { remove: ['a'] });
    expect(c.device(dev('100'), NOW)!.map((b) => b.bindingId)).toEqual(['b']);
    c.applyChange(dev('100_2'), { put: [{ binding: binding('100_2', 'x'), ttlSeconds: 90 }] });
    expect(c.extension('demo', '100', NOW)).toHaveLength(2);
    c.applyChange(dev('100'), { removeAll: true });
    expect(c.extension('demo', '100', NOW)!.map((b) => b.bindingId)).toEqual(['x']);
  });

  it('is bounded: the extensions least recently refreshed are forgotten first', () => {
    const c = new BindingCache(2);
    c.setExtension('demo', '100', [binding('100', 'a')]);
    c.setExtension('demo', '101', [binding('101', 'a')]);
    c.setDevice(dev('100'), [binding('100', 'a')]);
    c.setExtension('demo', '102', [binding('102', 'a')]);
    expect(c.size).toBe(2);
    expect(c.extension('demo', '101', NOW)).toBeUndefined();
    expect(c.extension('demo', '100', NOW)).toHaveLength(1);
  });

  it('counts devices and live bindings per tenant', () => {
    const c = new BindingCache();
    c.setExtension('demo', '100', [binding('100', 'a'), binding('100', 'b'), binding('100_2', 'c'), binding('100_3', 'gone', NOW - 1)]);
    c.setDevice({ tenant: 'acme', extension: '200', deviceUser: '200' }, [binding('200', 'a')]);
    expect(c.summary(NOW).sort((x, y) => x.tenant.localeCompare(y.tenant))).toEqual([
      { tenant: 'acme', devices: 1, bindings: 1 },
      { tenant: 'demo', devices: 2, bindings: 3 },
    ]);
  });
});

describe('write-behind buffer', () => {
  it("merges a device's changes so the newest state of each binding is written", () => {
    const w = new WriteBehind();
    expect(w.add(dev('100'), { put: [{ binding: binding('100', 'a', NOW + 60_000, 1), ttlSeconds: 90 }] }, NOW)).toBe(true);
    w.add(
      dev('100'),
      {
        put: [
          { binding: binding('100', 'a', NOW + 70_000, 2), ttlSeconds: 100 },
          { binding: binding('100', 'b'), ttlSeconds: 90 },
        ],
      },
      NOW,
    );
    w.add(dev('100'), { remove: ['b'] }, NOW);
    expect(w.has(dev('100'))).toBe(true);
    expect(w.devicesOf('demo', '100')).toEqual([dev('100')]);
    const change = w.take(dev('100'), NOW + 10_000)!;
    expect(change.removeAll).toBeUndefined();
    expect(change.remove).toEqual(['b']);
    expect(change.put!.map((p) => [p.binding.bindingId, p.binding.cseq, p.ttlSeconds])).toEqual([['a', 2, 90]]);
    expect(w.size).toBe(0);
    expect(w.hasExtension('demo', '100')).toBe(false);
    expect(w.take(dev('100'), NOW)).toBeUndefined();
  });

  it('Contact * clears what came before; a put after it is kept with it', () => {
    const w = new WriteBehind();
    w.add(dev('100'), { put: [{ binding: binding('100', 'a'), ttlSeconds: 90 }], remove: ['z'] }, NOW);
    w.add(dev('100'), { removeAll: true }, NOW);
    w.add(dev('100'), { put: [{ binding: binding('100', 'c'), ttlSeconds: 90 }] }, NOW);
    const change = w.take(dev('100'), NOW)!;
    expect(change.removeAll).toBe(true);
    expect(change.remove).toBeUndefined();
    expect(change.put!.map((p) => p.binding.bindingId)).toEqual(['c']);
  });

  it('a binding that lapsed while it waited is removed instead of written; the buffer refuses when full', () => {
    const w = new WriteBehind(1);
    w.add(dev('100'), { put: [{ binding: binding('100', 'a'), ttlSeconds: 5 }] }, NOW);
    expect(w.add(dev('101'), { put: [{ binding: binding('101', 'a'), ttlSeconds: 5 }] }, NOW)).toBe(false);
    expect(w.add(dev('100'), { remove: ['q'] }, NOW)).toBe(true);
    expect(w.take(dev('100'), NOW + 6_000)).toEqual({ remove: ['q', 'a'] });
  });
});
