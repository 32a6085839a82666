import { vi } from 'vitest';
import { parseMessage, type SipMessage } from '../../../src/sip/index.js';
import type { TimerConfig } from '../../../src/engine/transaction/timers.js';
import type { ClientTransactionUser, Gauge, Hop, Sender } from '../../../src/engine/transaction/types.js';
import type { Peer, TransportName } from '../../../src/engine/transport/types.js';

// Shared by the transaction state-machine tests: fake timers drive the RFC 3261 §17 timers.
export const TIMERS: TimerConfig = { t1: 500, t2: 4000, t4: 5000 };
export const PEER: Peer = { transport: 'udp', address: '127.16.0.2', port: 5070 };

export const hopOver = (transport: TransportName): Hop => ({ ...PEER, transport });

export interface Sent {
  /** ms since the test began (fake clock) */
  at: number;
  hop: Hop;
  text: string;
}

/** Records what goes on the wire and when; `failNext` makes the next send report a transport error. */
export function recordingSender(): Sender & { sent: Sent[]; failNext: boolean; lines(): string[] } {
  const t0 = Date.now();
  const s = {
    sent: [] as Sent[],
    failNext: false,
    send(hop: Hop, buf: Buffer, onError?: (err: Error) => void): void {
      if (s.failNext) {
        s.failNext = false;
        onError?.(new Error('connection refused'));
        return;
      }
      s.sent.push({ at: Date.now() - t0, hop, text: buf.toString('latin1') });
    },
    /** first lines of what was sent */
    lines: (): string[] => s.sent.map((x) => x.text.slice(0, x.text.indexOf('\r\n'))),
  };
  return s;
}

export function countingGauge(): Gauge & { value: number } {
  const g = { value: 0, inc: () => void g.value++, dec: () => void g.value-- };
  return g;
}

export function recordingUser(): ClientTransactionUser & { statuses: number[]; failures: string[]; terminated: number } {
  const u = {
    statuses: [] as number[],
    failures: [] as string[],
    terminated: 0,
    onResponse: (res: SipMessage): void => void u.statuses.push(res.status),
    onFailure: (kind: 'timeout' | 'transport'): void => void u.failures.push(kind),
    onTerminated: (): void => void u.terminated++,
  };
  return u;
}

function parse(text: string): SipMessage {
  const r = parseMessage(Buffer.from(text, 'latin1'), { maxSize: 65_535, datagram: true });
  if (!r.ok) throw new Error(`fixture does not parse: ${r.error.reason}`);
  return r.msg;
}

export function request(method: string, transport: TransportName = 'udp', branch = 'z9hG4bK-test-1'): SipMessage {
  return parse(
    `${method} sip:bob@127.16.0.2 SIP/2.0\r\n` +
      `Via: SIP/2.0/${transport.toUpperCase()} 127.16.0.1:5060;branch=${branch}\r\n` +
      'Max-Forwards: 70\r\nFrom: <sip:alice@127.16.0.1>;tag=a1\r\nTo: <sip:bob@127.16.0.2>\r\n' +
      `Call-ID: call-1@127.16.0.1\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`,
  );
}

export function response(status: number, method: string, toTag: string | undefined = 'b1', branch = 'z9hG4bK-test-1'): SipMessage {
  return parse(
    `SIP/2.0 ${status} Whatever\r\n` +
      `Via: SIP/2.0/UDP 127.16.0.1:5060;branch=${branch}\r\n` +
      `From: <sip:alice@127.16.0.1>;tag=a1\r\nTo: <sip:bob@127.16.0.2>${toTag ? `;tag=${toTag}` : ''}\r\n` +
      `Call-ID: call-1@127.16.0.1\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** Moves the fake clock and returns how many timers are still armed. */
export function after(ms: number): number {
  vi.advanceTimersByTime(ms);
  return vi.getTimerCount();
}
