import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { sippStartDelay } from '../helpers/sipp.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { callsConfig, clearBindings, deviceCalls, expectEngineIdle, expectSipp, peerCalls, putDeviceBinding, recordCalls, uas } from './calls-support.js';

// Night mode (DOMAIN §7) toggled by feature code on one instance, obeyed by another on the same
// Redis. Engines 127.0.0.173/174, SBC 127.0.0.175, phones 127.0.0.176–177, caller 127.0.0.178.
const SBC = '127.0.0.175';
const PHONE_100 = '127.0.0.176';
const PHONE_101 = '127.0.0.177';
let redis: RedisServerHandle;
let a: Product;
let b: Product;
let recordsB: CallRecord[];

function nightConfig(): string {
  const text = callsConfig({ sbcHosts: [SBC, '127.0.0.179'], tenantExtras: "    nightMode: { pin: '4321' }\n" });
  const withClosed = text
    .replace("        destination: { extension: '100' }\n", "        destination: { extension: '100' }\n        outsideSchedule: { extension: '101' }   # closed: night mode\n")
    .replace('doNotDisturbOn, doNotDisturbOff, voicemail]', 'doNotDisturbOn, doNotDisturbOff, voicemail, nightModeToggle]');
  expect(withClosed).toContain('outsideSchedule');
  expect(withClosed).toContain('nightModeToggle');
  return withClosed;
}

beforeAll(async () => {
  redis = await startRedisServer();
  a = await startProduct({ sipHost: '127.0.0.173', configText: nightConfig(), redisUrl: redis.url });
  b = await startProduct({ sipHost: '127.0.0.174', configText: nightConfig(), redisUrl: redis.url });
  recordsB = recordCalls(b);
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});
afterEach(async () => {
  await clearBindings(a, ['100', '101']);
  await expectEngineIdle(a);
  await expectEngineIdle(b);
  recordsB.length = 0;
});

async function carrierCallLandsOn(phone: string): Promise<void> {
  const device = uas('device-ring-then-answer', phone);
  await sippStartDelay();
  const carrier = peerCalls(b, 'carrier-call-answered-then-hang-up', '4165550199', SBC);
  const [c, d] = await Promise.all([carrier.done, device.done]);
  expectSipp(c, 1, 'carrier caller (on instance B)');
  expectSipp(d, 1, `device at ${phone}`);
}

describe('night mode toggled by feature code, shared through Redis', () => {
  it('*28 with the PIN on instance A closes the alice-direct line for instance B (calls go to 101); a wrong PIN is refused and counted; *28 again reopens it', async () => {
    await putDeviceBinding(a, '100', PHONE_100);
    await putDeviceBinding(a, '101', PHONE_101);
    await carrierCallLandsOn(PHONE_100);

    expectSipp(await deviceCalls(a, 'device-call-gets-603', '100_2', '*284321', '127.0.0.178').done, 1, '*28 (on)');
    expect(await b.ctx.settings.getTenant('demo')).toEqual({ nightMode: true });
    await carrierCallLandsOn(PHONE_101);
    expect(recordsB.at(-1)!.rule).toBe('incoming: line alice-direct (night mode)');

    expectSipp(await deviceCalls(a, 'device-call-gets-403', '100_2', '*281111', '127.0.0.178').done, 1, '*28 wrong PIN');
    // the wrong PIN was counted like a wrong password: one more failure makes two
    expect(a.ctx.bans.recordFailure('127.0.0.178').failures).toBe(2);
    expect(await b.ctx.settings.getTenant('demo')).toEqual({ nightMode: true });

    expectSipp(await deviceCalls(a, 'device-call-gets-603', '100_2', '*284321', '127.0.0.178').done, 1, '*28 (off)');
    await carrierCallLandsOn(PHONE_100);
    expect(recordsB.at(-1)!.rule).toBe('incoming: line alice-direct');
  });
});
