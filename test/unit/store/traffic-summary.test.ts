import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TrafficSummary } from '../../../src/app/traffic-summary.js';
import { newCallRecord } from '../../../src/app/calls/call-record.js';
import { MemoryLocationStore } from '../../../src/store/memory.js';
import type { Binding } from '../../../src/store/location-store.js';
import { capturingLogger } from './log-capture.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('per-minute traffic summary', () => {
  it('one info line a minute with the counts since the last one; none for a quiet minute', () => {
    const { log, lines } = capturingLogger('info');
    const t = new TrafficSummary(log, () => ({ store: 'down' }));
    t.start();
    t.registrations += 3;
    t.registrationsFailed++;
    const answered = newCallRecord('c1', '101', '100', 'device');
    answered.answeredAt = Date.now();
    answered.finalStatus = 200;
    t.onRecord(answered);
    const failed = newCallRecord('c2', '101', '100', 'device');
    failed.finalStatus = 503;
    t.onRecord(failed);
    const busy = newCallRecord('c3', '101', '100', 'device');
    busy.finalStatus = 486;
    t.onRecord(busy);
    vi.advanceTimersByTime(60_000);
    vi.advanceTimersByTime(60_000);
    t.stop();
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'traffic in the last minute',
        store: 'down',
        registrations: 3,
        registrationsRefused: 0,
        registrationsFailed: 1,
        calls: 3,
        callsAnswered: 1,
        callsFailed: 1,
      }),
    ]);
  });
});

describe('registered devices per tenant (memory store)', () => {
  it('counts devices with an unexpired binding and their bindings', async () => {
    let now = 1_000_000;
    const store = new MemoryLocationStore({ clock: { now: () => now }, sweepIntervalMs: 0 });
    const b = (deviceUser: string, id: string, expiresAt: number): Binding => ({
      bindingId: id,
      contactUri: `sip:${deviceUser}@127.12.0.9;${id}`,
      deviceUser,
      extension: deviceUser.replace(/_\d+$/, ''),
      expiresAt,
      callId: 'c',
      cseq: 1,
      source: { address: '127.12.0.9', port: 5060, transport: 'udp' },
    });
    const dev = (tenant: string, deviceUser: string) => ({ tenant, extension: deviceUser.replace(/_\d+$/, ''), deviceUser });
    await store.putBinding(dev('demo', '100'), b('100', 'a', now + 60_000), 90);
    await store.putBinding(dev('demo', '100'), b('100', 'b', now + 60_000), 90);
    await store.putBinding(dev('demo', '100_2'), b('100_2', 'a', now + 10_000), 40);
    await store.putBinding(dev('acme', '200'), b('200', 'a', now + 60_000), 90);
    const sorted = () => store.registrationSummary(now).sort((x, y) => x.tenant.localeCompare(y.tenant));
    expect(sorted()).toEqual([
      { tenant: 'acme', devices: 1, bindings: 1 },
      { tenant: 'demo', devices: 2, bindings: 3 },
    ]);
    // 100_2's granted expiry passed: it is in its grace period, no longer registered
    now += 20_000;
    expect(sorted()).toEqual([
      { tenant: 'acme', devices: 1, bindings: 1 },
      { tenant: 'demo', devices: 1, bindings: 2 },
    ]);
    await store.close();
  });
});
