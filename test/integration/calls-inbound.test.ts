import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { sippStartDelay } from '../helpers/sipp.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { CdrCheck, callsConfig, clearBindings, expectEngineIdle, expectSipp, peerCalls, putDeviceBinding, recordCalls, uas } from './calls-support.js';

// Calls from carriers (trusted by source address) to incoming lines. Engine on 127.0.0.204, the
// carrier's SBCs 127.0.0.223/.224 (calls come from the primary).
const PRIMARY = '127.0.0.223';
// Device bindings are put straight into the store: these tests are not about registration.
let p: Product;
let records: CallRecord[];
let cdrs: CdrCheck;

beforeAll(async () => {
  p = await startProduct({ sipHost: '127.0.0.204', configText: callsConfig({ sbcHosts: [PRIMARY, '127.0.0.224'] }) });
  records = recordCalls(p);
  cdrs = new CdrCheck(p);
});
afterAll(async () => {
  await p.stop();
});
afterEach(async () => {
  await clearBindings(p, ['100', '100_2', '100_3']);
  await expectEngineIdle(p);
  records.length = 0;
});

describe('carrier inbound calls (DOMAIN §2, §7)', () => {
  it("a call from the primary SBC's trusted address to Alice's direct line (DNIS 4165550199) is not challenged and rings every device of extension 100", async () => {
    await putDeviceBinding(p, '100', '127.0.0.161');
    await putDeviceBinding(p, '100_2', '127.0.0.162');
    const answering = uas('device-ring-then-answer', '127.0.0.161');
    const ringing = uas('device-ring-until-cancel', '127.0.0.162');
    await sippStartDelay();
    const carrier = peerCalls(p, 'carrier-call-answered-then-hang-up', '4165550199', PRIMARY);
    const [c, a, r] = await Promise.all([carrier.done, answering.done, ringing.done]);
    expectSipp(c, 1, 'carrier');
    expectSipp(a, 1, 'device 100 answers');
    expectSipp(r, 1, 'device 100_2 cancelled');
    expect(records[0]).toMatchObject({ direction: 'carrier', dialled: '4165550199', action: 'local', finalStatus: 200 });
    expect(records[0]!.rule).toBe('incoming: line alice-direct');
    const cdr = await cdrs.next({ tenant: 'demo', direction: 'carrier', dialled: '4165550199', action: 'local', rule: 'incoming: line alice-direct', finalStatus: 200, trunks: [] });
    expect(cdr.caller).toContain('sip:');
    expect(cdr.attempts.map((a) => a.outcome).sort()).toEqual([200, 'cancelled']);
  });

  it('the carrier may send the DNIS in E.164 (+14165550199): the same incoming line answers', async () => {
    await putDeviceBinding(p, '100', '127.0.0.161');
    const answering = uas('device-ring-then-answer', '127.0.0.161');
    await sippStartDelay();
    const carrier = peerCalls(p, 'carrier-call-answered-then-hang-up', '+14165550199', PRIMARY);
    const [c, a] = await Promise.all([carrier.done, answering.done]);
    expectSipp(c, 1, 'carrier');
    expectSipp(a, 1, 'device 100');
    await cdrs.next({ direction: 'carrier', dialled: '+14165550199', finalStatus: 200, rule: 'incoming: line alice-direct' });
  });

  it('an unknown DNIS gets 404', async () => {
    const carrier = peerCalls(p, 'carrier-call-unknown-dnis-gets-404', '4165559999', PRIMARY);
    expectSipp(await carrier.done, 1, 'carrier');
    expect(records[0]).toMatchObject({ direction: 'carrier', finalStatus: 404 });
    await cdrs.next({ direction: 'carrier', dialled: '4165559999', finalStatus: 404, action: 'reject', attempts: [] });
  });

  it('the same call from an untrusted address is challenged (407) and rings nothing', async () => {
    await putDeviceBinding(p, '100', '127.0.0.161');
    const stranger = peerCalls(p, 'untrusted-call-gets-407', '4165550199', '127.0.0.163');
    expectSipp(await stranger.done, 1, 'stranger');
    expect(records).toHaveLength(0);
    await cdrs.none();
  });

  it('a call to the main line (the IVR) while no media server is connected gets 503 with Retry-After, not a silent answer', async () => {
    const carrier = peerCalls(p, 'carrier-call-gets-503', '4165550100', PRIMARY);
    expectSipp(await carrier.done, 1, 'carrier');
    expect(records[0]).toMatchObject({ direction: 'carrier', action: 'application', finalStatus: 503 });
    await cdrs.next({ direction: 'carrier', dialled: '4165550100', action: 'application', finalStatus: 503 });
  });
});
