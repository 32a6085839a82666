import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { sippStartDelay } from '../helpers/sipp.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { EMERGENCY_SBC_PORT, SBC_PORT, callsConfig, clearBindings, deviceCalls, expectEngineIdle, expectSipp, peerCalls, putDeviceBinding, recordCalls, uas } from './calls-support.js';

// Concurrent-call limits counted across two instances on one Redis (DOMAIN §6).
// Addresses: engines 127.3.0.1/.2, callers 127.3.0.11-.19, SBCs 127.3.0.51/.52, devices 127.3.0.61.
const PRIMARY = '127.3.0.51';
const SECONDARY = '127.3.0.52';
let redis: RedisServerHandle;
let a: Product;
let b: Product;
let records: CallRecord[];

function config(): string {
  const text = callsConfig({ sbcHosts: [PRIMARY, SECONDARY], primaryMaxCalls: 2, firstResponseTimeoutMs: 500 });
  const anchor = '    trunks:\n      bellprimarysbc:';
  if (!text.includes(anchor)) throw new Error('calls config changed: no trunks section');
  return text.replace(anchor, `    limits: { inbound: 1, outbound: 3 }\n${anchor}`);
}

beforeAll(async () => {
  redis = await startRedisServer();
  a = await startProduct({ sipHost: '127.3.0.1', configText: config(), redisUrl: redis.url });
  b = await startProduct({ sipHost: '127.3.0.2', configText: config(), redisUrl: redis.url });
  records = recordCalls(a);
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});
afterEach(async () => {
  await expectEngineIdle(a);
  await expectEngineIdle(b);
  await expectAllZero();
  records.length = 0;
});

const limits = (p: Product) => p.services.trunks.limits;

/** Every counter, as either instance reads it from Redis. */
async function active(p: Product): Promise<Record<string, number>> {
  const rows = await limits(p).snapshot();
  return Object.fromEntries(rows.map((r) => [r.trunk ?? r.scope, r.active]));
}

async function expectAllZero(): Promise<void> {
  // a release is sent when the call ends; give it a moment to land
  for (let i = 0; i < 20 && Object.values(await active(b)).some((n) => n !== 0); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await active(b)).toEqual({ bellprimarysbc: 0, bellsecondarysbc: 0, e911sbc: 0, inbound: 0, outbound: 0, total: 0 });
}

async function waitFor(p: Product, scope: string, n: number): Promise<void> {
  for (let i = 0; i < 100 && (await active(p))[scope] !== n; i++) await new Promise((r) => setTimeout(r, 50));
  expect((await active(p))[scope]).toBe(n);
}

describe('trunk limit across two instances', () => {
  it('with bellprimarysbc (maxCalls 2) busy with one call on each instance, a third call skips it for the secondary; counters return to zero', async () => {
    const sbc1 = uas('sbc-answer-expects-plus-19055551234', PRIMARY, SBC_PORT, 2);
    const sbc2 = uas('sbc-answer-expects-plus-19055551234', SECONDARY, SBC_PORT);
    await sippStartDelay();
    const c1 = deviceCalls(a, 'device-call-answered-held-2500ms', '100', '19055551234', '127.3.0.11');
    const c2 = deviceCalls(b, 'device-call-answered-held-2500ms', '101', '19055551234', '127.3.0.12');
    await waitFor(a, 'bellprimarysbc', 2);
    expect((await active(a))['outbound']).toBe(2);
    const c3 = deviceCalls(a, 'device-call-answered-then-hang-up', '100', '19055551234', '127.3.0.13');
    const [r1, r2, r3, s1, s2] = await Promise.all([c1.done, c2.done, c3.done, sbc1.done, sbc2.done]);
    expectSipp(r1, 1, 'call 1 (instance A)');
    expectSipp(r2, 1, 'call 2 (instance B)');
    expectSipp(r3, 1, 'call 3 (instance A, through the secondary)');
    expectSipp(s1, 2, 'primary SBC (two calls)');
    expectSipp(s2, 1, 'secondary SBC (the third)');
    const third = records.find((r) => r.attempts.some((x) => x.outcome === 'limit'));
    expect(third).toMatchObject({
      finalStatus: 200,
      attempts: [
        { target: 'bellprimarysbc', outcome: 'limit' },
        { target: 'bellsecondarysbc', outcome: 200 },
      ],
    });
  });

  it('counters return to zero after failover (503), a refused call (486) and a cancelled call', async () => {
    const sbc1 = uas('sbc-503', PRIMARY, SBC_PORT);
    const sbc2 = uas('sbc-answer-expects-plus-19055551234', SECONDARY, SBC_PORT);
    await sippStartDelay();
    expectSipp(await deviceCalls(a, 'device-call-answered-then-hang-up', '100', '19055551234', '127.3.0.14').done, 1, 'failover call');
    expectSipp(await sbc1.done, 1, 'primary 503');
    expectSipp(await sbc2.done, 1, 'secondary answers');
    await expectAllZero();

    const busy = uas('sbc-486', PRIMARY, SBC_PORT);
    await sippStartDelay();
    expectSipp(await deviceCalls(a, 'device-call-gets-486', '100', '19055551234', '127.3.0.14').done, 1, 'caller gets 486');
    expectSipp(await busy.done, 1, 'primary 486');
    await expectAllZero();

    const ringing = uas('device-ring-until-cancel', PRIMARY, SBC_PORT);
    await sippStartDelay();
    expectSipp(await deviceCalls(b, 'device-cancel-while-ringing', '100', '19055551234', '127.3.0.15').done, 1, 'caller cancels');
    expectSipp(await ringing.done, 1, 'primary cancelled');
    expect(records.map((r) => r.finalStatus)).toEqual([200, 486]);
  });

  it('an emergency call passes although its trunk (maxCalls 1) is full on the other instance', async () => {
    const held = await b.services.trunks.acquire('demo', 'e911sbc', false);
    expect(held).toBeDefined();
    try {
      expect(await a.services.trunks.acquire('demo', 'e911sbc', false)).toBeUndefined();
      const e911 = uas('sbc-answer-expects-911', SECONDARY, EMERGENCY_SBC_PORT);
      await sippStartDelay();
      const caller = deviceCalls(a, 'device-call-answered-then-hang-up', '102', '911', '127.3.0.16');
      const [c, s] = await Promise.all([caller.done, e911.done]);
      expectSipp(c, 1, 'caller 102 (911)');
      expectSipp(s, 1, 'emergency SBC');
      expect(records[0]).toMatchObject({ action: 'emergency', finalStatus: 200, attempts: [{ target: 'e911sbc', outcome: 200 }] });
    } finally {
      held?.release();
    }
  });
});

describe('tenant limits across two instances (limits: { inbound: 1, outbound: 3 })', () => {
  it('outbound: with 3 calls held on instance B a call on A gets 486 and no trunk is tried, 911 still passes; inbound: a second carrier call gets 486', async () => {
    const demo = a.config.tenants.get('demo')!;
    const heldOut = await Promise.all([0, 1, 2].map(() => limits(b).tenant(demo, 'outbound', false)));
    expect(heldOut.every((h) => h.ok)).toBe(true);
    const heldIn = await limits(b).tenant(demo, 'inbound', false);
    expect(heldIn.ok).toBe(true);
    try {
      expectSipp(await deviceCalls(a, 'device-call-gets-486', '100', '19055551234', '127.3.0.17').done, 1, 'caller gets 486 (tenant limit)');
      expect(records[0]).toMatchObject({ finalStatus: 486, attempts: [{ target: 'tenant:outbound', outcome: 'limit' }] });

      const e911 = uas('sbc-answer-expects-911', SECONDARY, EMERGENCY_SBC_PORT);
      await sippStartDelay();
      const [c, s] = await Promise.all([deviceCalls(a, 'device-call-answered-then-hang-up', '102', '911', '127.3.0.18').done, e911.done]);
      expectSipp(c, 1, '911 passes the tenant limit');
      expectSipp(s, 1, 'emergency SBC');

      expectSipp(await peerCalls(a, 'carrier-call-gets-486', '4165550199', PRIMARY).done, 1, 'carrier call refused 486 (inbound limit)');
    } finally {
      for (const h of [...heldOut, heldIn]) if (h.ok) h.slot.release();
    }
    await expectAllZero();
    // within the limit, an inbound call is counted while it lasts and released when it ends
    await putDeviceBinding(a, '100', '127.3.0.61');
    try {
      const device = uas('device-ring-then-answer', '127.3.0.61');
      await sippStartDelay();
      const [c, d] = await Promise.all([peerCalls(b, 'carrier-call-answered-then-hang-up', '4165550199', PRIMARY).done, device.done]);
      expectSipp(c, 1, 'carrier call answered (instance B)');
      expectSipp(d, 1, 'device 100');
    } finally {
      await clearBindings(a, ['100']);
    }
  });
});
