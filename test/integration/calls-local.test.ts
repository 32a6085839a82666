import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../helpers/product-harness.js';
import { sippStartDelay } from '../helpers/sipp.js';
import type { CallRecord } from '../../src/app/calls/call-record.js';
import { CdrCheck, callsConfig, clearBindings, deviceCalls, peerCalls, expectEngineIdle, expectSipp, putDeviceBinding, recordCalls, registerDevice, uas } from './calls-support.js';

// Calls between devices of the demo tenant. App + engine (127.0.0.200) + SIPp, memory store.
let p: Product;
let records: CallRecord[];
let cdrs: CdrCheck;
const ALL_100 = ['100', '100_2', '100_3'];

beforeAll(async () => {
  p = await startProduct({ sipHost: '127.0.0.200', configText: callsConfig({ sbcHosts: ['127.0.0.221', '127.0.0.222'] }) });
  records = recordCalls(p);
  cdrs = new CdrCheck(p);
});
afterAll(async () => {
  await p.stop();
});
afterEach(async () => {
  await clearBindings(p, [...ALL_100, '101', '102', '103']);
  await expectEngineIdle(p);
  records.length = 0;
});

describe('a call to an extension rings every device (DOMAIN §1 shared devices)', () => {
  it('three devices REGISTERed from three addresses all ring; one answers, the other two are cancelled; the caller talks and hangs up', async () => {
    await registerDevice(p, '100', '127.0.0.131');
    await registerDevice(p, '100_2', '127.0.0.132');
    await registerDevice(p, '100_3', '127.0.0.133');
    const answering = uas('device-ring-then-answer', '127.0.0.131');
    const ringing2 = uas('device-ring-until-cancel', '127.0.0.132');
    const ringing3 = uas('device-ring-until-cancel', '127.0.0.133');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '101', '100', '127.0.0.140');
    const [c, a, r2, r3] = await Promise.all([caller.done, answering.done, ringing2.done, ringing3.done]);
    expectSipp(c, 1, 'caller 101');
    expectSipp(a, 1, 'device 100 (answers)');
    expectSipp(r2, 1, 'device 100_2 (cancelled)');
    expectSipp(r3, 1, 'device 100_3 (cancelled)');
    await expectEngineIdle(p);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ caller: '101', dialled: '100', action: 'local', finalStatus: 200 });
    expect(records[0]!.attempts.map((a) => a.outcome).sort()).toEqual([200, 'cancelled', 'cancelled']);
    const cdr = await cdrs.next({ direction: 'device', caller: '101', device: '101', callerExtension: '101', dialled: '100', action: 'local', finalStatus: 200, trunks: [] });
    expect(cdr.attempts.map((a) => a.outcome).sort()).toEqual([200, 'cancelled', 'cancelled']);
    expect(cdr.hangupSide).toBe('caller');
  });

  it('with no device registered the caller gets 480', async () => {
    const caller = deviceCalls(p, 'device-call-gets-480', '101', '100', '127.0.0.140');
    expectSipp(await caller.done, 1, 'caller 101');
    expect(records[0]).toMatchObject({ dialled: '100', finalStatus: 480, attempts: [] });
    await cdrs.next({ caller: '101', dialled: '100', finalStatus: 480, attempts: [] });
  });

  it('when every device is busy the caller gets 486 (bindings put in the store)', async () => {
    await putDeviceBinding(p, '100', '127.0.0.131');
    await putDeviceBinding(p, '100_2', '127.0.0.132');
    const b1 = uas('device-busy', '127.0.0.131');
    const b2 = uas('device-busy', '127.0.0.132');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-gets-486', '101', '100', '127.0.0.140');
    const [c, x, y] = await Promise.all([caller.done, b1.done, b2.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(x, 1, 'busy 100');
    expectSipp(y, 1, 'busy 100_2');
    expect(records[0]).toMatchObject({ finalStatus: 486 });
    await cdrs.next({ dialled: '100', finalStatus: 486, attempts: [{ outcome: 486 }, { outcome: 486 }] });
  });

  it("the caller's CANCEL ends every ringing leg (bindings put in the store)", async () => {
    await putDeviceBinding(p, '100', '127.0.0.131');
    await putDeviceBinding(p, '100_2', '127.0.0.132');
    await putDeviceBinding(p, '100_3', '127.0.0.133');
    const legs = ['127.0.0.131', '127.0.0.132', '127.0.0.133'].map((ip) => uas('device-ring-until-cancel', ip));
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-cancel-while-ringing', '101', '100', '127.0.0.140');
    const [c, ...callees] = await Promise.all([caller.done, ...legs.map((l) => l.done)]);
    expectSipp(c, 1, 'caller');
    callees.forEach((r, i) => expectSipp(r, 1, `device ${i + 1}`));
    await expectEngineIdle(p);
    expect(records[0]).toMatchObject({ finalStatus: 487 });
    await cdrs.next({ dialled: '100', finalStatus: 487, hangupSide: 'caller' });
  });
});

describe('shared devices: 100_2 is a device, not a number (DOMAIN §1)', () => {
  it('dialling 100_2 is refused as an unknown number (404)', async () => {
    await putDeviceBinding(p, '100_2', '127.0.0.132');
    const caller = deviceCalls(p, 'device-call-gets-404', '101', '100_2', '127.0.0.140');
    expectSipp(await caller.done, 1, 'caller');
    expect(records[0]).toMatchObject({ dialled: '100_2', finalStatus: 404, action: 'reject' });
    await cdrs.next({ dialled: '100_2', finalStatus: 404, action: 'reject', attempts: [] });
  });

  it("a call from device 100_2 presents extension 100's caller ID to the callee (bindings put in the store)", async () => {
    await putDeviceBinding(p, '101', '127.0.0.220');
    const callee = uas('device-answer-expects-caller-100', '127.0.0.220');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '100_2', '101', '127.0.0.141');
    const [c, b] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 100_2');
    expectSipp(b, 1, 'callee 101 checking From');
    expect(records[0]).toMatchObject({ caller: '100_2', callerExtension: '100', finalStatus: 200 });
    await cdrs.next({ caller: '100_2', device: '100_2', callerExtension: '100', dialled: '101', finalStatus: 200 });
  });
});

describe('hot-desk identity (DOMAIN §1; a login put straight into the hot-desk store; the *22 dialogue is in hot-desk-calls.test.ts)', () => {
  afterEach(() => p.ctx.hotDesk.logoutGuest('demo', '222'));

  it('a call to hot-desk 222 rings the phone where 222 is logged in (bindings put in the store)', async () => {
    await p.ctx.hotDesk.login('demo', '103', '222', 3600);
    await putDeviceBinding(p, '103', '127.0.0.135');
    const phone = uas('device-ring-then-answer', '127.0.0.135');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '101', '222', '127.0.0.140');
    const [c, b] = await Promise.all([caller.done, phone.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(b, 1, 'phone 103 with 222 logged in');
    expect(records[0]).toMatchObject({ dialled: '222', finalStatus: 200, attempts: [{ outcome: 200 }] });
    await cdrs.next({ dialled: '222', finalStatus: 200, attempts: [{ outcome: 200 }] });
  });

  it('with nobody logged in, a call to 222 gets 480 although phone 103 is registered', async () => {
    await putDeviceBinding(p, '103', '127.0.0.135');
    const caller = deviceCalls(p, 'device-call-gets-480', '101', '222', '127.0.0.140');
    expectSipp(await caller.done, 1, 'caller');
    await cdrs.next({ dialled: '222', finalStatus: 480 });
  });

  it("a call from the phone where 222 is logged in presents 222's caller ID (bindings put in the store)", async () => {
    await p.ctx.hotDesk.login('demo', '103', '222', 3600);
    await putDeviceBinding(p, '101', '127.0.0.220');
    const callee = uas('device-answer-expects-caller-222', '127.0.0.220');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-answered-then-hang-up', '103', '101', '127.0.0.143');
    const [c, b] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller 103 (as 222)');
    expectSipp(b, 1, 'callee 101 checking From');
    expect(records[0]).toMatchObject({ caller: '103', callerExtension: '222' });
    await cdrs.next({ caller: '103', device: '103', callerExtension: '222', dialled: '101', finalStatus: 200 });
  });
});

describe('in-dialog requests of a bridged call', () => {
  it('INFO and a re-INVITE (hold) from the caller reach the callee and their answers come back; BYE ends both legs (bindings put in the store)', async () => {
    await putDeviceBinding(p, '101', '127.0.0.220');
    const callee = uas('../engine/uas-answer-reinvite-info', '127.0.0.220');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-info-hold-hang-up', '100', '101', '127.0.0.140');
    const [c, b] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(b, 1, 'callee');
    expect(records[0]).toMatchObject({ finalStatus: 200 });
    await cdrs.next({ caller: '100', dialled: '101', finalStatus: 200, hangupSide: 'caller' });
  });

  it("a BYE from the callee ends the caller's leg too (bindings put in the store)", async () => {
    await putDeviceBinding(p, '101', '127.0.0.220');
    const callee = uas('../engine/uas-answer-then-hangup', '127.0.0.220');
    await sippStartDelay();
    const caller = deviceCalls(p, 'device-call-callee-hangs-up', '100', '101', '127.0.0.140');
    const [c, b] = await Promise.all([caller.done, callee.done]);
    expectSipp(c, 1, 'caller');
    expectSipp(b, 1, 'callee');
    await cdrs.next({ caller: '100', dialled: '101', finalStatus: 200, hangupSide: 'callee' });
  });
});

describe('device authentication on INVITE', () => {
  it('an INVITE without credentials from a non-carrier address is challenged (407)', async () => {
    const stranger = peerCalls(p, 'untrusted-call-gets-407', '100', '127.0.0.142');
    expectSipp(await stranger.done, 1, 'stranger');
    await cdrs.none(); // challenged before it became a call
  });
});
