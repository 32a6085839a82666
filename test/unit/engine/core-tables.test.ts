import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncomingRequest, OutgoingRequest } from '../../../src/engine/core/contexts.js';
import { PendingRequests } from '../../../src/engine/core/pending-requests.js';
import { ClientTransaction } from '../../../src/engine/transaction/client-transaction.js';
import { serverKey } from '../../../src/engine/transaction/keys.js';
import { ServerTransaction } from '../../../src/engine/transaction/server-transaction.js';
import { TransactionTable } from '../../../src/engine/transaction/transaction-table.js';
import { countingGauge, hopOver, recordingSender, recordingUser, request, TIMERS } from './transaction-fixtures.js';

function serverIn(table: TransactionTable, branch: string, method = 'INVITE'): ServerTransaction {
  const req = request(method, 'udp', branch);
  const tx = new ServerTransaction(serverKey(req, req.topVia()!, method), req, Buffer.alloc(0), hopOver('udp'), recordingSender(), TIMERS, countingGauge(), (t) => table.removeServer(t));
  table.addServer(tx);
  return tx;
}

describe('the transaction table owns its indexes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a server transaction is found by its key until it terminates', () => {
    const table = new TransactionTable();
    const tx = serverIn(table, 'z9hG4bK-a');
    expect(table.server(tx.key)).toBe(tx);
    tx.terminate();
    expect(table.server(tx.key)).toBeUndefined();
  });

  it('a second branch of the same Call-ID/From-tag/CSeq is merged while the first lives, and no longer after (RFC 3261 §8.2.2.2)', () => {
    const table = new TransactionTable();
    const first = serverIn(table, 'z9hG4bK-a');
    const again = request('INVITE', 'udp', 'z9hG4bK-b');
    const againKey = serverKey(again, again.topVia()!, 'INVITE');
    expect(table.isMerged(again, againKey)).toBe(true);
    expect(table.isMerged(first.request, first.key)).toBe(false);
    first.terminate();
    expect(table.isMerged(again, againKey)).toBe(false);
  });

  it('a client transaction leaves the table when it terminates; terminateAll ends every transaction', () => {
    const table = new TransactionTable();
    const c = new ClientTransaction(request('OPTIONS'), 'z9hG4bK-c', hopOver('udp'), recordingSender(), TIMERS, countingGauge(), (t) => table.removeClient(t));
    table.addClient(c);
    c.start(recordingUser());
    const s = serverIn(table, 'z9hG4bK-d', 'REGISTER');
    expect(table.client(c.key)).toBe(c);
    table.terminateAll();
    expect([table.client(c.key), table.server(s.key)]).toEqual([undefined, undefined]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('the pending-requests table owns its indexes', () => {
  const incoming = (txnId: string, key: string, owner = 'app-1'): IncomingRequest => ({ txnId, owner, tx: { key } }) as unknown as IncomingRequest;
  const outgoing = (txnId: string, owner = 'app-1'): OutgoingRequest => ({ txnId, owner }) as unknown as OutgoingRequest;

  it('an incoming request is found by wire id and by transaction key, and taking it removes both and the count', () => {
    const gauge = countingGauge();
    const p = new PendingRequests(gauge);
    const a = incoming('t1', 'k1');
    p.addIncoming(a);
    expect([p.incoming('t1'), p.incomingFor('k1'), gauge.value]).toEqual([a, a, 1]);
    expect(p.takeIncoming(a)).toBe(true);
    expect(p.takeIncoming(a)).toBe(false);
    expect([p.incoming('t1'), p.incomingFor('k1'), gauge.value]).toEqual([undefined, undefined, 0]);
  });

  it('requests are listed by the app that owns them', () => {
    const p = new PendingRequests(countingGauge());
    p.addIncoming(incoming('t1', 'k1', 'app-1'));
    p.addIncoming(incoming('t2', 'k2', 'app-2'));
    const o = outgoing('t3', 'app-2');
    p.addOutgoing(o);
    expect(p.incomingOwnedBy('app-2').map((c) => c.txnId)).toEqual(['t2']);
    expect(p.outgoingOwnedBy('app-2')).toEqual([o]);
    p.removeOutgoing(o);
    expect([p.outgoing('t3'), p.outgoingOwnedBy('app-2')]).toEqual([undefined, []]);
  });
});
