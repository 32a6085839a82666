import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { sippStartDelay } from '../helpers/sipp.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { callsConfig, clearBindings, deviceCalls, expectEngineIdle, expectSipp, putDeviceBinding, recordCalls, uas } from './calls-support.js';

// Calls nobody answers. Engines 127.0.0.130 and 127.0.0.134, phones 127.0.0.136–139, callers 127.0.0.144–145.
// The second product gives the app less time for its first response (2 s) than the ring timeout
// (4 s), standing in for drachtio-server's 64 s against a ring timeout above it.
let short: Product;
let long: Product;
let shortRecords: CallRecord[];
let longRecords: CallRecord[];

beforeAll(async () => {
  short = await startProduct({ sipHost: '127.0.0.130', configText: callsConfig({ ringTimeoutSeconds: 2, sbcHosts: ['127.0.0.225', '127.0.0.226'] }) });
  long = await startProduct({ sipHost: '127.0.0.134', configText: callsConfig({ ringTimeoutSeconds: 4, sbcHosts: ['127.0.0.225', '127.0.0.226'] }), appAnswerTimeoutMs: 2000 });
  shortRecords = recordCalls(short);
  longRecords = recordCalls(long);
});
afterAll(async () => {
  await short?.stop();
  await long?.stop();
});
afterEach(async () => {
  for (const p of [short, long]) {
    await clearBindings(p, ['100', '100_2', '101']);
    await expectEngineIdle(p);
  }
  shortRecords.length = 0;
  longRecords.length = 0;
});

describe('every way a call ends ends every leg: ring timeout', () => {
  it('a call nobody answers ends 480 at the ring timeout with every ringing device CANCELled', async () => {
    await putDeviceBinding(short, '100', '127.0.0.136');
    await putDeviceBinding(short, '100_2', '127.0.0.137');
    const phones = ['127.0.0.136', '127.0.0.137'].map((ip) => uas('device-ring-until-cancel', ip));
    await sippStartDelay();
    const started = Date.now();
    const caller = deviceCalls(short, 'device-call-gets-480', '101', '100', '127.0.0.144');
    const [c, ...callees] = await Promise.all([caller.done, ...phones.map((x) => x.done)]);
    const elapsed = Date.now() - started;
    expectSipp(c, 1, 'caller');
    callees.forEach((r, i) => expectSipp(r, 1, `phone ${i + 1} (CANCELled)`));
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(shortRecords).toHaveLength(1);
    expect(shortRecords[0]).toMatchObject({ dialled: '100', finalStatus: 480 });
    expect(shortRecords[0]!.attempts.map((a) => a.outcome)).toEqual(['no-answer', 'no-answer']);
  });

  it("a ring timeout above the engine's wait for a first response: the phone rings on (the app sent 180) until the ring timeout CANCELs it", async () => {
    await putDeviceBinding(long, '101', '127.0.0.138');
    const phone = uas('device-ring-until-cancel', '127.0.0.138');
    await sippStartDelay();
    const started = Date.now();
    const caller = deviceCalls(long, 'device-call-gets-480', '100_2', '101', '127.0.0.145');
    const [c, ph] = await Promise.all([caller.done, phone.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(ph, 1, 'phone (CANCELled)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    expect(longRecords[0]).toMatchObject({ dialled: '101', finalStatus: 480, attempts: [{ outcome: 'no-answer' }] });
  });

  it('an app that never answers the caller (the phone only says 100 Trying): the engine answers 480 and tells the app, which CANCELs the phone', async () => {
    await putDeviceBinding(long, '101', '127.0.0.139');
    const phone = uas('device-trying-until-cancel', '127.0.0.139');
    await sippStartDelay();
    const started = Date.now();
    const caller = deviceCalls(long, 'device-call-gets-480', '100_2', '101', '127.0.0.145');
    const [c, ph] = await Promise.all([caller.done, phone.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(ph, 1, 'phone (CANCELled)');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(4000);
    expect(longRecords[0]).toMatchObject({ dialled: '101' });
  });
});
