import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dialog, DialogState, type DialogRole } from '../../../src/engine/dialog/dialog.js';
import { DialogTable } from '../../../src/engine/dialog/dialog-table.js';
import { SessionTimer, SessionTimerState } from '../../../src/engine/dialog/session-timer.js';
import { IllegalTransitionError } from '../../../src/engine/transaction/transition-error.js';
import { ReliableProvisionals, ReliableState } from '../../../src/engine/transaction/reliable-provisionals.js';
import type { ServerTransaction } from '../../../src/engine/transaction/server-transaction.js';
import { countingGauge, hopOver, response, TIMERS } from './transaction-fixtures.js';

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
    d.sessionTimerOrNew(() => new SessionTimer({ refresh: () => expired.push('refresh'), expire: () => expired.push('expire') })).start(90, 'them');
    table.remove(d);
    expect(d.state).toBe(DialogState.Terminated);
    expect(d.sessionTimer?.state).toBe(SessionTimerState.Ended);
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

  it("a UAC early dialog we ended can still be confirmed by its INVITE's 2xx, which the engine then acknowledges and ends (§9.1, §15)", () => {
    const d = dialog('uac');
    d.terminate();
    d.confirm();
    expect(d.state).toBe(DialogState.Confirmed);
  });

  it("a UAS early dialog the peer ended stays ended when the app's 2xx goes out late", () => {
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

/** A dialog driven into `state` the way the engine gets it there. */
function dialogIn(role: DialogRole, state: DialogState): Dialog {
  const d = dialog(role);
  if (state === DialogState.Confirmed) d.confirm();
  if (state === DialogState.Terminated) d.terminate();
  return d;
}

const LIVE = [DialogState.Early, DialogState.Confirmed] as const;
const ALL = [DialogState.Early, DialogState.Confirmed, DialogState.Terminated] as const;
const inviteTx = (seq: number): ServerTransaction => ({ request: { cseq: { seq } } }) as unknown as ServerTransaction;

describe('dialog state (RFC 3261 §12) set through its own methods', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  describe('creation (Early)', () => {
    it('the UAS sets the remote tag, target, sequence number and route set, in order, from the request (§12.1.1)', () => {
      const d = dialog('uas');
      d.receivedCreatingRequest({ method: 'INVITE', seq: 42, remoteTag: 'a1', remoteTarget: 'sip:alice@127.16.0.9', routeSet: ['<sip:p1;lr>', '<sip:p2;lr>'] });
      expect(d.state).toBe(DialogState.Early);
      expect([d.remoteTag, d.remoteTarget, d.remoteSeq, d.subscription]).toEqual(['a1', 'sip:alice@127.16.0.9', 42, false]);
      expect(d.routeSet).toEqual(['<sip:p1;lr>', '<sip:p2;lr>']);
    });

    it('the UAS local sequence number starts from a value of its own choosing (§12.1.1)', () => {
      const d = dialog('uas');
      expect(d.localSeq).toBeGreaterThanOrEqual(1);
      expect(d.localSeq).toBeLessThanOrEqual(10_000);
    });

    it('the UAC local sequence number is the CSeq of the dialog-creating request (§12.1.2)', () => {
      const d = dialog('uac');
      d.sentCreatingRequest('INVITE', 7, '<sip:127.16.0.1:5060>');
      expect([d.localSeq, d.inviteSeq, d.localContact, d.subscription]).toEqual([7, 7, '<sip:127.16.0.1:5060>', false]);
      expect(d.nextLocalSeq()).toBe(8);
    });

    it('a dialog created by a SUBSCRIBE is a subscription, whichever side created it', () => {
      const uac = dialog('uac');
      uac.sentCreatingRequest('SUBSCRIBE', 1, '');
      const uas = dialog('uas');
      uas.receivedCreatingRequest({ method: 'SUBSCRIBE', seq: 1, remoteTag: 'a1', remoteTarget: undefined, routeSet: [] });
      expect([uac.subscription, uas.subscription]).toEqual([true, true]);
    });

    it('the UAC route set is the Record-Route of the response in reverse order, the remote target its Contact (§12.1.2)', () => {
      const d = dialog('uac');
      const peer = { ...hopOver('tcp'), connectionId: 'c1' };
      d.learnFromResponse({ remoteParty: '<sip:bob@127.16.0.2>;tag=b1', remoteTarget: 'sip:bob@127.16.0.3', fallbackTarget: undefined, recordRoute: ['<sip:p1;lr>', '<sip:p2;lr>'], peer });
      expect(d.routeSet).toEqual(['<sip:p2;lr>', '<sip:p1;lr>']);
      expect([d.remoteTarget, d.remoteParty, d.peer]).toEqual(['sip:bob@127.16.0.3', '<sip:bob@127.16.0.2>;tag=b1', peer]);
    });

    it('a UAC final response without Contact leaves the Request-URI as the remote target; a provisional leaves it unknown', () => {
      const d = dialog('uac');
      const res = { remoteParty: undefined, remoteTarget: undefined, recordRoute: [], peer: hopOver('udp') };
      d.learnFromResponse({ ...res, fallbackTarget: undefined });
      expect([d.remoteTarget, d.remoteParty]).toEqual([undefined, '<sip:bob@127.16.0.2>']);
      d.learnFromResponse({ ...res, fallbackTarget: 'sip:bob@127.16.0.2' });
      expect(d.remoteTarget).toBe('sip:bob@127.16.0.2');
      d.learnFromResponse({ ...res, fallbackTarget: 'sip:other@127.16.0.2' });
      expect(d.remoteTarget).toBe('sip:bob@127.16.0.2');
    });

    it('the dialog table indexes a UAC dialog by the remote tag it learns, and by that tag only', () => {
      const table = new DialogTable(countingGauge());
      const d = dialog('uac');
      table.add(d);
      table.setRemoteTag(d, 'b1');
      table.setRemoteTag(d, 'b2');
      expect(d.remoteTag).toBe('b2');
      expect(table.match('call-1', 'a1', 'b2')).toBe(d);
      expect(table.match('call-1', 'a1', 'b1')).toBeUndefined();
    });
  });

  describe.each(LIVE)('in the %s state', (state) => {
    it('the local sequence number MUST be incremented by one for each new request (§12.2.1.1)', () => {
      const d = dialogIn('uac', state);
      const first = d.nextLocalSeq();
      expect(d.nextLocalSeq()).toBe(first + 1);
      expect(d.localSeq).toBe(first + 1);
    });

    it('an empty remote sequence number MUST be set from the CSeq of the request (§12.2.2)', () => {
      const d = dialogIn('uac', state);
      expect(d.remoteSeq).toBe(0);
      expect(d.acceptRemoteSeq(500)).toBe(true);
      expect(d.remoteSeq).toBe(500);
    });

    it('a request whose CSeq is lower than the remote sequence number is out of order (§12.2.2)', () => {
      const d = dialogIn('uas', state);
      d.acceptRemoteSeq(10);
      expect(d.acceptRemoteSeq(9)).toBe(false);
      expect(d.remoteSeq).toBe(10);
    });

    it('a request with a higher CSeq is in order and raises the remote sequence number (§12.2.2)', () => {
      const d = dialogIn('uas', state);
      d.acceptRemoteSeq(10);
      expect(d.acceptRemoteSeq(10)).toBe(true);
      expect(d.acceptRemoteSeq(25)).toBe(true);
      expect(d.remoteSeq).toBe(25);
    });

    it('a target refresh request replaces the remote target with its Contact; one without Contact keeps it (§12.2.2)', () => {
      const d = dialogIn('uas', state);
      d.refreshTarget('sip:alice@127.16.0.7');
      d.refreshTarget(undefined);
      expect(d.remoteTarget).toBe('sip:alice@127.16.0.7');
    });

    it("the app's ACK of a 2xx is re-sent for 64·T1 and then forgotten, without a timer of its own (§13.2.2.4)", () => {
      const d = dialogIn('uac', state);
      const raw = Buffer.from('ACK sip:bob@127.16.0.2 SIP/2.0\r\n\r\n');
      d.storeAck(raw, hopOver('udp'), 64 * TIMERS.t1);
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(64 * TIMERS.t1 - 1);
      expect(d.storedAck?.raw).toBe(raw);
      vi.advanceTimersByTime(1);
      expect(d.storedAck).toBeUndefined();
    });

    it('an ACK reaches the 2xx waiting for it only with the same CSeq number as the INVITE (§13.2.2.4)', () => {
      const d = dialogIn('uas', state);
      const tx = inviteTx(3);
      d.awaitAck(tx);
      expect(d.takeAckWait(2)).toBeUndefined();
      expect(d.takeAckWait(3)).toBe(tx);
      expect(d.takeAckWait(3)).toBeUndefined();
      d.awaitAck(tx);
      d.stopAwaitingAck();
      expect(d.takeAckWait(3)).toBeUndefined();
    });

    it("the app's INVITE and its final status are what its ACK is checked against", () => {
      const d = dialogIn('uac', state);
      d.inviteSent(d.nextLocalSeq());
      d.inviteAnswered(200);
      expect([d.inviteSeq, d.inviteStatus]).toEqual([d.localSeq, 200]);
    });

    it("the local Contact of the 2xx replaces the dialog's; a 2xx without one keeps it", () => {
      const d = dialogIn('uas', state);
      d.useLocalContact('<sip:127.16.0.1:5060>');
      d.useLocalContact(undefined);
      expect(d.localContact).toBe('<sip:127.16.0.1:5060>');
    });

    it('the reliable provisionals and the session timer are made once, then reused', () => {
      const d = dialogIn('uas', state);
      const make = vi.fn(() => new ReliableProvisionals(1, true, TIMERS, { send: () => Buffer.alloc(0), resend: () => undefined, onPrackTimeout: () => undefined }));
      expect(d.reliableOrNew(make)).toBe(d.reliableOrNew(make));
      const timer = vi.fn(() => new SessionTimer({ refresh: () => undefined, expire: () => undefined }));
      expect(d.sessionTimerOrNew(timer)).toBe(d.sessionTimerOrNew(timer));
      expect([make.mock.calls.length, timer.mock.calls.length]).toEqual([1, 1]);
    });

    it("the INVITE's final response stops its reliable provisionals (RFC 3262 §3)", () => {
      const d = dialogIn('uas', state);
      const reliable = d.reliableOrNew(() => new ReliableProvisionals(1, true, TIMERS, { send: () => Buffer.alloc(1), resend: () => undefined, onPrackTimeout: () => undefined }));
      reliable.send(response(183, 'INVITE'));
      expect(reliable.state).toBe(ReliableState.AwaitingPrack);
      d.finishReliable();
      expect(reliable.state).toBe(ReliableState.Terminated);
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe('in the Terminated state', () => {
    it('entering it ends the reliable provisionals still awaiting their PRACK and clears their timers', () => {
      const d = dialogIn('uas', DialogState.Early);
      const reliable = d.reliableOrNew(() => new ReliableProvisionals(1, true, TIMERS, { send: () => Buffer.alloc(1), resend: () => undefined, onPrackTimeout: () => undefined }));
      reliable.send(response(183, 'INVITE'));
      expect(vi.getTimerCount()).toBeGreaterThan(0);
      d.terminate();
      expect(reliable.state).toBe(ReliableState.Terminated);
      expect(vi.getTimerCount()).toBe(0);
    });

    it("a UAC dialog ended while early still acknowledges a late 2xx: the ACK is stored and the app's CANCEL remembered (§9.1, §15)", () => {
      const d = dialogIn('uac', DialogState.Terminated);
      d.noteCancelled();
      d.storeAck(Buffer.from('ACK'), hopOver('udp'), 64 * TIMERS.t1);
      expect(d.cancelled).toBe(true);
      expect(d.storedAck).toBeDefined();
    });
  });

  it.each(ALL)('a %s dialog remembers the body it last offered or answered, for a refreshing re-INVITE (RFC 4028)', (state) => {
    const d = dialogIn('uac', state);
    const body = { contentType: 'application/sdp', body: Buffer.from('v=0\r\n') };
    d.rememberLocalBody(body);
    expect(d.localBody).toEqual(body);
  });
});
