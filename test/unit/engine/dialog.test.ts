import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dialog, DialogState, type DialogRole } from '../../../src/engine/dialog/dialog.js';
import { DialogTable } from '../../../src/engine/dialog/dialog-table.js';
import { SessionTimer, SessionTimerState } from '../../../src/engine/dialog/session-timer.js';
import { IllegalTransitionError } from '../../../src/engine/transaction/transition-error.js';
import { countingGauge, hopOver } from './transaction-fixtures.js';

const local = { transport: 'udp' as const, host: '127.16.0.1', port: 5060, advertised: '127.16.0.1' };

function dialog(role: DialogRole): Dialog {
  return new Dialog('call-1;from-tag=a1', 'call-1', role === 'uac' ? 'a1' : 'b1', role, 'app-1', hopOver('udp'), local, '<sip:alice@127.16.0.1>;tag=a1', '<sip:bob@127.16.0.2>');
}

describe('dialog state machine (RFC 3261 §12)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a dialog is early until a 2xx confirms it (§12.1)', () => {
    const d = dialog('uas');
    expect(d.state).toBe(DialogState.Early);
    d.confirm();
    d.confirm();
    expect(d.state).toBe(DialogState.Confirmed);
  });

  it('leaving the dialog table terminates it: the app-ACK guard, the session timer and pending reliable provisionals stop', () => {
    const table = new DialogTable(countingGauge());
    const d = dialog('uac');
    table.add(d);
    d.confirm();
    const expired: string[] = [];
    d.guardAppAck(1000, () => expired.push('ack'));
    d.sessionTimer = new SessionTimer({ refresh: () => expired.push('refresh'), expire: () => expired.push('expire') });
    d.sessionTimer.start(90, 'them');
    table.remove(d);
    expect(d.state).toBe(DialogState.Terminated);
    expect(d.sessionTimer.state).toBe(SessionTimerState.Ended);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(200_000);
    expect(expired).toEqual([]);
  });

  it('the app-ACK guard fires once when the app never acknowledges the 2xx, and not once it has', () => {
    const d = dialog('uac');
    const expired: number[] = [];
    d.guardAppAck(1000, () => expired.push(1));
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual([1]);
    d.guardAppAck(1000, () => expired.push(2));
    d.appAcked();
    vi.advanceTimersByTime(5000);
    expect(expired).toEqual([1]);
  });

  it('a UAC early dialog we ended can still be confirmed by its INVITE\'s 2xx, which the engine then acknowledges and ends (§9.1, §15)', () => {
    const d = dialog('uac');
    d.terminate();
    d.confirm();
    expect(d.state).toBe(DialogState.Confirmed);
  });

  it('a UAS early dialog the peer ended stays ended when the app\'s 2xx goes out late', () => {
    const d = dialog('uas');
    d.terminate();
    d.confirm();
    expect(d.state).toBe(DialogState.Terminated);
  });

  it('the transition function refuses steps §12 does not draw', () => {
    const d = dialog('uas');
    const transition = (d as unknown as { transition(to: DialogState): void }).transition.bind(d);
    expect(() => transition(DialogState.Early)).toThrow(IllegalTransitionError);
    d.terminate();
    expect(() => transition(DialogState.Confirmed)).toThrow(/UAS dialog: no transition from terminated to confirmed/);
  });
});
