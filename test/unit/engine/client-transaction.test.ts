import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientState, ClientTransaction } from '../../../src/engine/transaction/client-transaction.js';
import { IllegalTransitionError } from '../../../src/engine/transaction/transition-error.js';
import type { TransportName } from '../../../src/engine/transport/types.js';
import { after, countingGauge, hopOver, PEER, recordingSender, recordingUser, request, response, TIMERS } from './transaction-fixtures.js';

function clientTx(method: string, transport: TransportName = 'udp') {
  const sender = recordingSender();
  const gauge = countingGauge();
  const user = recordingUser();
  const done: ClientTransaction[] = [];
  const tx = new ClientTransaction(request(method, transport), 'z9hG4bK-test-1', hopOver(transport), sender, TIMERS, gauge, (t) => done.push(t));
  return { tx, sender, gauge, user, done, start: () => tx.start(user) };
}

const T1 = TIMERS.t1;
const T2 = TIMERS.t2;
const T4 = TIMERS.t4;

describe('INVITE client transaction (RFC 3261 §17.1.1, RFC 6026)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is Idle until started, then Calling with the INVITE sent once', () => {
    const c = clientTx('INVITE');
    expect(c.tx.state).toBe(ClientState.Idle);
    expect(c.sender.sent).toHaveLength(0);
    c.start();
    expect(c.tx.state).toBe(ClientState.Calling);
    expect(c.sender.lines()).toEqual(['INVITE sip:bob@127.16.0.2 SIP/2.0']);
  });

  it('Calling over UDP: Timer A retransmits at T1 and doubles each time, without the T2 cap of non-INVITE (§17.1.1.2)', () => {
    const c = clientTx('INVITE');
    c.start();
    after(32 * T1 - 1);
    expect(c.sender.sent.map((s) => s.at)).toEqual([0, T1, 3 * T1, 7 * T1, 15 * T1, 31 * T1]);
  });

  it('Calling: Timer B MUST tell the TU of the timeout after 64·T1 and the transaction terminates (§17.1.1.2)', () => {
    const c = clientTx('INVITE');
    c.start();
    after(64 * T1 - 1);
    expect(c.user.failures).toEqual([]);
    expect(after(1)).toBe(0);
    expect(c.user.failures).toEqual(['timeout']);
    expect(c.tx.state).toBe(ClientState.Terminated);
    expect([c.done.length, c.user.terminated, c.gauge.value]).toEqual([1, 1, 0]);
  });

  it('Calling over a reliable transport: Timer A is not started, Timer B still runs (§17.1.1.2)', () => {
    const c = clientTx('INVITE', 'tcp');
    c.start();
    after(64 * T1 - 1);
    expect(c.sender.sent).toHaveLength(1);
    after(1);
    expect(c.user.failures).toEqual(['timeout']);
  });

  it('a provisional in Calling moves to Proceeding: the TU gets it, retransmissions stop and Timer B no longer applies (§17.1.1.2)', () => {
    const c = clientTx('INVITE');
    c.start();
    c.tx.receive(response(180, 'INVITE'), Buffer.alloc(0), PEER);
    expect(c.tx.state).toBe(ClientState.Proceeding);
    expect(c.user.statuses).toEqual([180]);
    expect(after(10 * 64 * T1)).toBe(0);
    expect(c.sender.sent).toHaveLength(1);
    expect(c.tx.state).toBe(ClientState.Proceeding);
  });

  it('a 300-699 in Proceeding: an ACK MUST be sent, the TU gets the response, Completed (§17.1.1.2, §17.1.1.3)', () => {
    const c = clientTx('INVITE');
    c.start();
    c.tx.receive(response(180, 'INVITE'), Buffer.alloc(0), PEER);
    c.tx.receive(response(486, 'INVITE'), Buffer.alloc(0), PEER);
    expect(c.tx.state).toBe(ClientState.Completed);
    expect(c.user.statuses).toEqual([180, 486]);
    expect(c.sender.lines()).toEqual(['INVITE sip:bob@127.16.0.2 SIP/2.0', 'ACK sip:bob@127.16.0.2 SIP/2.0']);
    const ack = c.sender.sent[1]!.text;
    expect(ack).toMatch(/^Via: SIP\/2.0\/UDP 127.16.0.1:5060;branch=z9hG4bK-test-1\r$/m);
    expect(ack).toMatch(/^To: <sip:bob@127.16.0.2>;tag=b1\r$/m);
    expect(ack).toMatch(/^CSeq: 1 ACK\r$/m);
  });

  it('Completed: a retransmitted final MUST be answered with the ACK again and not passed to the TU; Timer D then terminates (§17.1.1.2)', () => {
    const c = clientTx('INVITE');
    c.start();
    c.tx.receive(response(486, 'INVITE'), Buffer.alloc(0), PEER);
    c.tx.receive(response(486, 'INVITE'), Buffer.alloc(0), PEER);
    expect(c.sender.lines().filter((l) => l.startsWith('ACK'))).toHaveLength(2);
    expect(c.user.statuses).toEqual([486]);
    after(64 * T1 - 1);
    expect(c.tx.state).toBe(ClientState.Completed);
    expect(after(1)).toBe(0);
    expect(c.tx.state).toBe(ClientState.Terminated);
    expect(c.user.terminated).toBe(1);
  });

  it('Completed over a reliable transport: Timer D is zero, terminated once the TU has the response (§17.1.1.2)', () => {
    const c = clientTx('INVITE', 'tcp');
    c.start();
    c.tx.receive(response(503, 'INVITE'), Buffer.alloc(0), PEER);
    expect(c.user.statuses).toEqual([503]);
    expect(c.tx.state).toBe(ClientState.Terminated);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a 2xx moves to Accepted: no ACK from the transaction, retransmitted 2xx go to the TU, Timer M terminates after 64·T1 (RFC 6026 §7.2)', () => {
    const c = clientTx('INVITE');
    c.start();
    c.tx.receive(response(200, 'INVITE'), Buffer.alloc(0), PEER);
    expect(c.tx.state).toBe(ClientState.Accepted);
    c.tx.receive(response(200, 'INVITE'), Buffer.alloc(0), PEER);
    expect(c.user.statuses).toEqual([200, 200]);
    expect(c.sender.sent).toHaveLength(1);
    after(64 * T1 - 1);
    expect(c.tx.state).toBe(ClientState.Accepted);
    after(1);
    expect(c.tx.state).toBe(ClientState.Terminated);
  });

  it('a transport error in Calling MUST be reported to the TU as a failure and the transaction terminates (§17.1.4)', () => {
    const c = clientTx('INVITE');
    c.sender.failNext = true;
    c.start();
    expect(c.user.failures).toEqual(['transport']);
    expect(c.tx.state).toBe(ClientState.Terminated);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('Terminated is final: a late response reaches nobody and no timer is left', () => {
    const c = clientTx('INVITE');
    c.start();
    c.tx.terminate();
    c.tx.receive(response(200, 'INVITE'), Buffer.alloc(0), PEER);
    c.tx.terminate();
    expect(c.user.statuses).toEqual([]);
    expect([c.user.terminated, c.gauge.value, vi.getTimerCount()]).toEqual([1, 0, 0]);
  });

  it('the transition function refuses a step figure 5 does not draw', () => {
    const c = clientTx('INVITE');
    c.start();
    c.tx.receive(response(486, 'INVITE'), Buffer.alloc(0), PEER);
    const transition = (c.tx as unknown as { transition(to: ClientState): void }).transition.bind(c.tx);
    expect(() => transition(ClientState.Proceeding)).toThrow(IllegalTransitionError);
    expect(() => transition(ClientState.Trying)).toThrow(/INVITE client transaction: no transition from completed to trying/);
    expect(c.tx.state).toBe(ClientState.Completed);
  });
});

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('Trying over UDP: Timer E starts at T1 and doubles up to T2 (§17.1.2.2)', () => {
    const c = clientTx('REGISTER');
    c.start();
    expect(c.tx.state).toBe(ClientState.Trying);
    after(6 * T2);
    // 0, T1, 3T1, 7T1, then every T2 (T2 = 8·T1 here)
    expect(c.sender.sent.map((s) => s.at)).toEqual([0, T1, 3 * T1, 7 * T1, 7 * T1 + T2, 7 * T1 + 2 * T2, 7 * T1 + 3 * T2, 7 * T1 + 4 * T2, 7 * T1 + 5 * T2]);
  });

  it('a provisional moves to Proceeding: Timer E keeps running and is reset to T2 when it fires (§17.1.2.2)', () => {
    const c = clientTx('OPTIONS');
    c.start();
    c.tx.receive(response(100, 'OPTIONS', undefined), Buffer.alloc(0), PEER);
    expect(c.tx.state).toBe(ClientState.Proceeding);
    after(T1 + 2 * T2);
    expect(c.sender.sent.map((s) => s.at)).toEqual([0, T1, T1 + T2, T1 + 2 * T2]);
  });

  it('Timer F in Trying or Proceeding MUST tell the TU of the timeout after 64·T1 from the first transmission (§17.1.2.2)', () => {
    const c = clientTx('OPTIONS');
    c.start();
    after(10 * T1);
    c.tx.receive(response(100, 'OPTIONS', undefined), Buffer.alloc(0), PEER);
    after(54 * T1 - 1);
    expect(c.user.failures).toEqual([]);
    expect(after(1)).toBe(0);
    expect(c.user.failures).toEqual(['timeout']);
    expect(c.tx.state).toBe(ClientState.Terminated);
  });

  it('a final response: Completed, the TU gets it, retransmissions stop; Timer K (T4) absorbs retransmitted finals, then terminates (§17.1.2.2)', () => {
    const c = clientTx('REGISTER');
    c.start();
    c.tx.receive(response(200, 'REGISTER'), Buffer.alloc(0), PEER);
    expect(c.tx.state).toBe(ClientState.Completed);
    c.tx.receive(response(200, 'REGISTER'), Buffer.alloc(0), PEER);
    expect(c.user.statuses).toEqual([200]);
    after(T4 - 1);
    expect(c.sender.sent).toHaveLength(1);
    expect(c.tx.state).toBe(ClientState.Completed);
    expect(after(1)).toBe(0);
    expect(c.tx.state).toBe(ClientState.Terminated);
  });

  it('over a reliable transport: no Timer E, and Timer K is zero (§17.1.2.2)', () => {
    const c = clientTx('REGISTER', 'tls');
    c.start();
    after(10 * T1);
    expect(c.sender.sent).toHaveLength(1);
    c.tx.receive(response(401, 'REGISTER'), Buffer.alloc(0), PEER);
    expect(c.user.statuses).toEqual([401]);
    expect(c.tx.state).toBe(ClientState.Terminated);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the transition function refuses a step figure 6 does not draw (a non-INVITE is never Calling or Accepted)', () => {
    const c = clientTx('OPTIONS');
    const transition = (c.tx as unknown as { transition(to: ClientState): void }).transition.bind(c.tx);
    expect(() => transition(ClientState.Calling)).toThrow(IllegalTransitionError);
    c.start();
    expect(() => transition(ClientState.Accepted)).toThrow(IllegalTransitionError);
    expect(c.tx.state).toBe(ClientState.Trying);
  });
});
