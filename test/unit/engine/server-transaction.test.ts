import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { responseTo } from '../../../src/engine/core/message-factory.js';
import { CompletedResponses } from '../../../src/engine/transaction/completed-responses.js';
import { ServerState, ServerTransaction } from '../../../src/engine/transaction/server-transaction.js';
import { IllegalTransitionError } from '../../../src/engine/transaction/transition-error.js';
import type { TransportName } from '../../../src/engine/transport/types.js';
import { after, countingGauge, hopOver, recordingSender, request, TIMERS } from './transaction-fixtures.js';

function serverTx(method: string, transport: TransportName = 'udp', completed?: CompletedResponses) {
  const sender = recordingSender();
  const gauge = countingGauge();
  const done: ServerTransaction[] = [];
  const req = request(method, transport);
  const tx = new ServerTransaction('key-1', req, Buffer.alloc(0), hopOver(transport), sender, TIMERS, gauge, (t) => done.push(t), completed);
  const timeouts: string[] = [];
  tx.events = { onAckTimeout: () => void timeouts.push('2xx'), onNon2xxAckTimeout: () => void timeouts.push('non-2xx') };
  const respond = (status: number): Buffer | undefined => tx.respond(responseTo(req, req.getHeaderValues('Via'), status, undefined, status > 100 ? 'b1' : undefined));
  return { tx, sender, gauge, done, timeouts, respond };
}

const T1 = TIMERS.t1;
const T2 = TIMERS.t2;
const T4 = TIMERS.t4;

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts in Proceeding with no timer; a retransmitted INVITE MUST get the last provisional again (§17.2.1)', () => {
    const s = serverTx('INVITE');
    expect(s.tx.state).toBe(ServerState.Proceeding);
    expect(vi.getTimerCount()).toBe(0);
    s.tx.retransmission();
    expect(s.sender.sent).toHaveLength(0);
    s.respond(100);
    s.respond(180);
    s.tx.retransmission();
    expect(s.sender.lines()).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing', 'SIP/2.0 180 Ringing']);
    expect(s.tx.state).toBe(ServerState.Proceeding);
  });

  it('a 300-699 moves to Completed; over UDP Timer G retransmits it from T1, doubling up to T2 (§17.2.1)', () => {
    const s = serverTx('INVITE');
    s.respond(486);
    expect(s.tx.state).toBe(ServerState.Completed);
    after(7 * T1 + 3 * T2);
    expect(s.sender.sent.map((x) => x.at)).toEqual([0, T1, 3 * T1, 7 * T1, 7 * T1 + T2, 7 * T1 + 2 * T2, 7 * T1 + 3 * T2]);
    expect(new Set(s.sender.lines())).toEqual(new Set(['SIP/2.0 486 Busy Here']));
  });

  it('Completed: Timer H after 64·T1 without ACK terminates and reports the missing ACK (§17.2.1)', () => {
    const s = serverTx('INVITE');
    s.respond(486);
    after(64 * T1 - 1);
    expect(s.timeouts).toEqual([]);
    expect(after(1)).toBe(0);
    expect(s.timeouts).toEqual(['non-2xx']);
    expect(s.tx.state).toBe(ServerState.Terminated);
    expect([s.done.length, s.gauge.value]).toEqual([1, 0]);
  });

  it('an ACK in Completed moves to Confirmed: Timer G stops, Timer I (T4) absorbs further ACKs, then Terminated (§17.2.1)', () => {
    const s = serverTx('INVITE');
    s.respond(486);
    after(T1);
    s.tx.ack();
    expect(s.tx.state).toBe(ServerState.Confirmed);
    s.tx.ack();
    s.tx.retransmission();
    after(T4 - 1);
    expect(s.sender.sent).toHaveLength(2);
    expect(s.tx.state).toBe(ServerState.Confirmed);
    expect(after(1)).toBe(0);
    expect(s.tx.state).toBe(ServerState.Terminated);
  });

  it('over a reliable transport: no Timer G, and Timer I is zero, so the ACK terminates at once (§17.2.1)', () => {
    const s = serverTx('INVITE', 'tcp');
    s.respond(404);
    after(10 * T1);
    expect(s.sender.sent).toHaveLength(1);
    s.tx.ack();
    expect(s.tx.state).toBe(ServerState.Terminated);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a 2xx moves to Accepted: the 2xx is retransmitted over UDP until the ACK, a retransmitted INVITE is absorbed silently (RFC 6026 §7.1)', () => {
    const s = serverTx('INVITE');
    s.respond(200);
    expect(s.tx.state).toBe(ServerState.Accepted);
    s.tx.retransmission();
    after(3 * T1);
    expect(s.sender.sent.map((x) => x.at)).toEqual([0, T1, 3 * T1]);
    s.tx.ack();
    expect(s.tx.state).toBe(ServerState.Terminated);
    expect(after(10 * T1)).toBe(0);
    expect(s.sender.sent).toHaveLength(3);
  });

  it('Accepted: Timer L after 64·T1 without ACK reports the 2xx ACK timeout and terminates (RFC 6026 §7.1)', () => {
    const s = serverTx('INVITE');
    s.respond(200);
    after(64 * T1 - 1);
    expect(s.timeouts).toEqual([]);
    after(1);
    expect(s.timeouts).toEqual(['2xx']);
    expect(s.tx.state).toBe(ServerState.Terminated);
  });

  it("a proxy's transaction does not retransmit the 2xx: the UAS behind it does (RFC 6026 §7.1)", () => {
    const s = serverTx('INVITE');
    s.tx.proxied();
    s.respond(200);
    after(10 * T1);
    expect(s.sender.sent).toHaveLength(1);
    expect(s.tx.state).toBe(ServerState.Accepted);
  });

  it('after the final response no other response MUST be sent (§17.2.1)', () => {
    const s = serverTx('INVITE');
    expect(s.respond(486)).toBeInstanceOf(Buffer);
    expect(s.respond(200)).toBeUndefined();
    expect(s.respond(180)).toBeUndefined();
    expect(s.tx.lastResponse?.status).toBe(486);
  });

  it('the transition function refuses a step figure 7 does not draw', () => {
    const s = serverTx('INVITE');
    s.respond(200);
    const transition = (s.tx as unknown as { transition(to: ServerState): void }).transition.bind(s.tx);
    expect(() => transition(ServerState.Confirmed)).toThrow(IllegalTransitionError);
    expect(() => transition(ServerState.Trying)).toThrow(/INVITE server transaction: no transition from accepted to trying/);
    expect(s.tx.state).toBe(ServerState.Accepted);
  });
});

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('Trying: a retransmitted request is discarded until the TU answers (§17.2.2)', () => {
    const s = serverTx('OPTIONS');
    expect(s.tx.state).toBe(ServerState.Trying);
    s.tx.retransmission();
    expect(s.sender.sent).toHaveLength(0);
  });

  it('a provisional moves to Proceeding; a retransmitted request MUST get it again (§17.2.2)', () => {
    const s = serverTx('OPTIONS');
    s.respond(100);
    expect(s.tx.state).toBe(ServerState.Proceeding);
    s.tx.retransmission();
    expect(s.sender.lines()).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 100 Trying']);
  });

  it('a final over UDP: Completed, retransmitted requests get the final again, Timer J (64·T1) terminates (§17.2.2)', () => {
    const s = serverTx('REGISTER');
    s.respond(200);
    expect(s.tx.state).toBe(ServerState.Completed);
    s.tx.retransmission();
    after(64 * T1 - 1);
    expect(s.sender.lines()).toEqual(['SIP/2.0 200 OK', 'SIP/2.0 200 OK']);
    expect(s.tx.state).toBe(ServerState.Completed);
    expect(after(1)).toBe(0);
    expect(s.tx.state).toBe(ServerState.Terminated);
  });

  it('a final over UDP with the compact Completed store: the store holds it for Timer J and the transaction ends at once', () => {
    const sender = recordingSender();
    const store = new CompletedResponses(64 * T1, sender);
    const s = serverTx('REGISTER', 'udp', store);
    s.respond(200);
    expect(s.tx.state).toBe(ServerState.Terminated);
    expect(s.gauge.value).toBe(0);
    expect(store.absorb('key-1')).toBe(true);
    expect(sender.lines()).toEqual(['SIP/2.0 200 OK']);
  });

  it('a final over a reliable transport: Timer J is zero, Terminated at once (§17.2.2)', () => {
    const s = serverTx('REGISTER', 'tls');
    s.respond(100);
    s.respond(401);
    expect(s.tx.state).toBe(ServerState.Terminated);
    expect([s.done.length, vi.getTimerCount()]).toEqual([1, 0]);
  });

  it('the transition function refuses a step figure 8 does not draw (a non-INVITE is never Accepted or Confirmed)', () => {
    const s = serverTx('OPTIONS');
    const transition = (s.tx as unknown as { transition(to: ServerState): void }).transition.bind(s.tx);
    expect(() => transition(ServerState.Accepted)).toThrow(IllegalTransitionError);
    expect(() => transition(ServerState.Confirmed)).toThrow(IllegalTransitionError);
    s.tx.ack();
    expect(s.tx.state).toBe(ServerState.Trying);
  });
});
