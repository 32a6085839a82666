import { pino } from 'pino';
import { parseMessage, type SipMessage } from '../../../src/sip/index.js';
import type { Core } from '../../../src/engine/core/contexts.js';
import { EngineGauges } from '../../../src/engine/core/gauges.js';
import type { LocalPoint } from '../../../src/engine/core/local-point.js';
import type { BranchOwner, ProxyBranch, Received } from '../../../src/engine/proxy/proxy-branch.js';
import { clientKey } from '../../../src/engine/transaction/client-transaction.js';
import { TransactionTable } from '../../../src/engine/transaction/transaction-table.js';
import type { Hop } from '../../../src/engine/transaction/types.js';
import type { Peer, TransportName } from '../../../src/engine/transport/types.js';
import { recordingSender, TIMERS } from './transaction-fixtures.js';

// Shared by the proxy state-machine tests: the few core services a proxy branch uses, a recording
// sender for the wire, and a "network" that answers the requests the branches sent.

const POINTS: Record<TransportName, LocalPoint | undefined> = {
  udp: { transport: 'udp', host: '127.16.0.1', port: 5060, advertised: '127.16.0.1' },
  tcp: { transport: 'tcp', host: '127.16.0.1', port: 5060, advertised: '127.16.0.1' },
  tls: undefined,
};

export type FakeCore = Core & { sender: ReturnType<typeof recordingSender>; gauges: EngineGauges };

/**
 * The core services a proxy uses, with a recording sender. `resolve` answers host names from
 * `names`; a name mapped to a promise resolves when the test says so.
 */
export function fakeCore(names: Record<string, string | Promise<string>> = {}): FakeCore {
  const used: Pick<Core, 'log' | 'timers' | 'sender' | 'gauges' | 'transactions' | 'localPoint' | 'isLocal' | 'resolve' | 'hopFor' | 'pickApp'> = {
    log: pino({ level: 'silent' }),
    timers: TIMERS,
    sender: recordingSender(),
    gauges: new EngineGauges(),
    transactions: new TransactionTable(),
    localPoint: (t) => POINTS[t],
    isLocal: (address, port) => address === '127.16.0.1' && port === 5060,
    resolve: async (host) => {
      const a = names[host];
      if (a === undefined) throw new Error(`ENOTFOUND ${host}`);
      return a;
    },
    hopFor: (peer: Peer, connectionId?: string): Hop => (connectionId ? { ...peer, connectionId } : { ...peer }),
    // no app subscribed to CDR events
    pickApp: () => undefined,
  };
  return used as FakeCore;
}

function parse(text: string): SipMessage {
  const r = parseMessage(Buffer.from(text, 'latin1'), { maxSize: 65_535, datagram: true });
  if (!r.ok) throw new Error(`fixture does not parse: ${r.error.reason}`);
  return r.msg;
}

/** What the proxy received from upstream (the caller at 127.16.0.9). */
export function incoming(method = 'INVITE', ruri = 'sip:service@127.16.0.1'): SipMessage {
  return parse(
    `${method} ${ruri} SIP/2.0\r\n` +
      'Via: SIP/2.0/UDP 127.16.0.9:5060;branch=z9hG4bK-caller-1;received=127.16.0.9;rport=5060\r\n' +
      'Max-Forwards: 69\r\nFrom: <sip:alice@127.16.0.9>;tag=a1\r\nTo: <sip:service@127.16.0.1>\r\n' +
      `Call-ID: proxied-1@127.16.0.9\r\nCSeq: 1 ${method}\r\nContact: <sip:alice@127.16.0.9>\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** The requests sent (first line → message), retransmissions removed. */
export function sentRequests(core: FakeCore, method: string): SipMessage[] {
  const seen = new Set<string>();
  const out: SipMessage[] = [];
  for (const s of core.sender.sent) {
    if (!s.text.startsWith(`${method} `) || seen.has(s.text)) continue;
    seen.add(s.text);
    out.push(parse(s.text));
  }
  return out;
}

/** The first lines of what went out, retransmissions removed. */
export function wire(core: FakeCore): string[] {
  return [...new Set(core.sender.sent.map((s) => s.text))].map((t) => t.slice(0, t.indexOf('\r\n')));
}

export const CALLEE: Peer = { transport: 'udp', address: '127.16.0.2', port: 5070 };

/** The callee answers the branch request sent to `ruri` (its last copy) with `status`, through the client transaction. */
export function answer(core: FakeCore, ruri: string, status: number, extra = '', method = 'INVITE'): void {
  const req = sentRequests(core, method)
    .filter((r) => r.uri === ruri)
    .at(-1);
  if (!req) throw new Error(`no ${method} was sent to ${ruri}`);
  const branch = req.topVia()?.branch ?? '';
  const vias = req
    .getHeaderValues('Via')
    .map((v) => `Via: ${v}\r\n`)
    .join('');
  const tag = status > 100 ? `;tag=callee-${ruri.length}` : '';
  const text =
    `SIP/2.0 ${status} Whatever\r\n${vias}` +
    `From: ${req.getHeader('From') ?? ''}\r\nTo: ${req.getHeader('To') ?? ''}${tag}\r\n` +
    `Call-ID: ${req.callId}\r\nCSeq: ${req.cseq.seq} ${method}\r\n${extra}Content-Length: 0\r\n\r\n`;
  const raw = Buffer.from(text, 'latin1');
  const tx = core.transactions.client(clientKey(branch, method));
  if (!tx) throw new Error(`no client transaction for ${branch}`);
  tx.receive(parse(text), raw, CALLEE);
}

/** A branch owner that writes down what it is told, e.g. `final 408`, `provisional 180`, `late2xx 200`, `quiet`. */
export function recordingOwner(): BranchOwner & { events: string[] } {
  const o = {
    events: [] as string[],
    onProvisional: (_b: ProxyBranch, r: Received): void => void o.events.push(`provisional ${r.res.status}`),
    onFinal: (_b: ProxyBranch, status: number, r: Received | undefined): void => void o.events.push(`final ${status}${r ? '' : ' (local)'}`),
    onLate2xx: (_b: ProxyBranch, r: Received): void => void o.events.push(`late2xx ${r.res.status}`),
    onQuiet: (): void => void o.events.push('quiet'),
  };
  return o;
}
