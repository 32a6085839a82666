import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type Srf from 'drachtio-srf';
import { CallTable } from '../../../src/app/calls/call-table.js';
import { CallLog, type CallRecord } from '../../../src/app/calls/call-record.js';
import type { CallerLeg } from '../../../src/app/calls/caller-leg.js';

const log = pino({ level: 'silent' });

class FakeDialog extends EventEmitter {
  connected = true;
  destroyed = 0;
  destroy(): void {
    this.destroyed++;
    this.connected = false;
  }
  hangUpFromFarEnd(): void {
    this.connected = false;
    this.emit('destroy');
  }
}

function openCall() {
  const calls = new CallTable();
  const finished: CallRecord[] = [];
  const services = { calls, callListeners: [calls.onRecord, (r: Readonly<CallRecord>) => void finished.push(structuredClone(r as CallRecord))] };
  const call = CallLog.open(services, log, { device: '100_2' }, { callId: 'c1', caller: '100_2', dialled: '101', direction: 'device', tenant: 'demo' });
  const rejected: number[] = [];
  const caller = { gone: false, reject: (status: number) => void rejected.push(status) } as unknown as CallerLeg & { gone: boolean };
  return { calls, finished, call, caller, rejected };
}

describe("one call's record from start to end (CallLog)", () => {
  it('an opened call is listed at once among the calls in progress, with its tenant', () => {
    const { calls, call } = openCall();
    expect(calls.list()).toEqual([call.record]);
    expect(call.record).toMatchObject({ callId: 'c1', tenant: 'demo', caller: '100_2', dialled: '101', direction: 'device', attempts: [] });
  });

  it('a failed call answers the caller with its status and is finished once with it', () => {
    const { calls, finished, call, caller, rejected } = openCall();
    let freed = 0;
    call.complete(caller, { kind: 'failed', status: 486 }, () => void freed++);
    call.finish(500);
    expect(rejected).toEqual([486]);
    expect(freed).toBe(1);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ finalStatus: 486 });
    expect(finished[0]!.hangupSide).toBeUndefined();
    expect(calls.list()).toEqual([]);
  });

  it('a caller who cancelled gets 487 whatever the callee said, and hung up the call', () => {
    const { finished, call, caller, rejected } = openCall();
    caller.gone = true;
    call.complete(caller, { kind: 'failed', status: 480, noAnswer: true });
    expect(rejected).toEqual([487]);
    expect(finished[0]).toMatchObject({ finalStatus: 487, hangupSide: 'caller' });
  });

  it('an answered call is bridged, can be hung up from the call table, and is finished when it ends', () => {
    const { calls, finished, call, caller } = openCall();
    const uas = new FakeDialog();
    const uac = new FakeDialog();
    let freed = 0;
    call.complete(caller, { kind: 'answered', uas: uas as unknown as Srf.Dialog, uac: uac as unknown as Srf.Dialog }, () => void freed++);
    expect(call.record).toMatchObject({ finalStatus: 200, answeredAt: expect.any(Number) });
    expect(finished).toEqual([]);
    expect(calls.hangUp('c1')).toBe(true);
    expect([uas.destroyed, uac.destroyed, freed]).toEqual([1, 1, 1]);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ finalStatus: 200, hangupSide: 'admin' });
    expect(calls.list()).toEqual([]);
  });

  it("a BYE from the callee ends the caller's dialog too and says who hung up", () => {
    const { finished, call, caller } = openCall();
    const uas = new FakeDialog();
    const uac = new FakeDialog();
    call.complete(caller, { kind: 'answered', uas: uas as unknown as Srf.Dialog, uac: uac as unknown as Srf.Dialog });
    uac.hangUpFromFarEnd();
    expect(uas.destroyed).toBe(1);
    expect(finished[0]).toMatchObject({ hangupSide: 'callee' });
  });

  it('a dialog already gone when the call is bridged still ends the call, answered', () => {
    const { finished, call, caller } = openCall();
    const uas = new FakeDialog();
    uas.connected = false;
    const uac = new FakeDialog();
    call.complete(caller, { kind: 'answered', uas: uas as unknown as Srf.Dialog, uac: uac as unknown as Srf.Dialog });
    expect(uac.destroyed).toBe(1);
    expect(finished[0]).toMatchObject({ finalStatus: 200, hangupSide: 'caller', answeredAt: expect.any(Number) });
  });
});
