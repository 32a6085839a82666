import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SipMessage, serializeMessage } from '../../../src/sip/index.js';
import { parseRAck, ReliableProvisionals, ReliableState, type ReliableProvisionalUser } from '../../../src/engine/transaction/reliable-provisionals.js';

const TIMERS = { t1: 500, t2: 4000, t4: 5000 };
const INVITE_SEQ = 314159;

function recordingUser(opts: { refuse?: boolean } = {}): ReliableProvisionalUser & { sent: string[]; resent: string[]; timeouts: number } {
  const u = {
    sent: [] as string[],
    resent: [] as string[],
    timeouts: 0,
    send(res: SipMessage): Buffer | undefined {
      if (opts.refuse) return undefined;
      const raw = serializeMessage(res);
      u.sent.push(raw.toString('latin1'));
      return raw;
    },
    resend(raw: Buffer): void {
      u.resent.push(raw.toString('latin1'));
    },
    onPrackTimeout(): void {
      u.timeouts++;
    },
  };
  return u;
}

const provisional = (status = 183): SipMessage => {
  const m = SipMessage.response(status, status === 180 ? 'Ringing' : 'Session Progress');
  m.addHeader('CSeq', `${INVITE_SEQ} INVITE`);
  m.addHeader('Require', '100rel');
  return m;
};

const rseqOf = (text: string | undefined): number => Number(/RSeq: (\d+)/.exec(text ?? '')?.[1]);
const rack = (rseq: number, cseq = INVITE_SEQ, method = 'INVITE') => ({ rseq, cseq, method });

describe('reliable provisional responses, UAS side (RFC 3262 §3)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('each reliable provisional carries an RSeq, and later ones count up by one', () => {
    const u = recordingUser();
    const m = new ReliableProvisionals(INVITE_SEQ, true, TIMERS, u);
    const first = m.send(provisional())!;
    expect(rseqOf(u.sent[0])).toBe(first);
    expect(m.prack(rack(first))).toBe(true);
    const second = m.send(provisional(180));
    expect(second).toBe(first + 1);
    expect(rseqOf(u.sent[1])).toBe(second);
  });

  it('MUST retransmit at T1, 2·T1, 4·T1 … (no T2 cap) until the PRACK, over UDP', () => {
    const u = recordingUser();
    const m = new ReliableProvisionals(INVITE_SEQ, true, TIMERS, u);
    const rseq = m.send(provisional())!;
    vi.advanceTimersByTime(499);
    expect(u.resent).toHaveLength(0);
    vi.advanceTimersByTime(1); // 500
    vi.advanceTimersByTime(1000); // 1500
    vi.advanceTimersByTime(2000); // 3500
    vi.advanceTimersByTime(4000); // 7500
    expect(u.resent).toHaveLength(4);
    vi.advanceTimersByTime(7999); // the fifth waits 8 s, beyond T2
    expect(u.resent).toHaveLength(4);
    vi.advanceTimersByTime(1);
    expect(u.resent).toHaveLength(5);
    expect(m.prack(rack(rseq))).toBe(true);
    expect(m.state).toBe(ReliableState.Idle);
    vi.advanceTimersByTime(60_000);
    expect(u.resent).toHaveLength(5);
    expect(u.timeouts).toBe(0);
  });

  it('does not retransmit over a reliable transport, but still times out', () => {
    const u = recordingUser();
    const m = new ReliableProvisionals(INVITE_SEQ, false, TIMERS, u);
    m.send(provisional());
    vi.advanceTimersByTime(31_999);
    expect(u.resent).toHaveLength(0);
    expect(u.timeouts).toBe(0);
    vi.advanceTimersByTime(1);
    expect(u.timeouts).toBe(1);
  });

  it('64·T1 without a PRACK: retransmissions stop and the user is told to reject the INVITE', () => {
    const u = recordingUser();
    const m = new ReliableProvisionals(INVITE_SEQ, true, TIMERS, u);
    m.send(provisional());
    vi.advanceTimersByTime(32_000);
    expect(u.timeouts).toBe(1);
    expect(m.state).toBe(ReliableState.Terminated);
    const count = u.resent.length;
    vi.advanceTimersByTime(60_000);
    expect(u.resent).toHaveLength(count);
    expect(m.send(provisional())).toBeUndefined();
  });

  it('MUST NOT send a second reliable provisional before the first is PRACKed: it is queued', () => {
    const u = recordingUser();
    const m = new ReliableProvisionals(INVITE_SEQ, true, TIMERS, u);
    const first = m.send(provisional(180))!;
    const second = m.send(provisional(183))!;
    expect(u.sent).toHaveLength(1);
    expect(m.prack(rack(second))).toBe(false);
    expect(m.prack(rack(first))).toBe(true);
    expect(u.sent).toHaveLength(2);
    expect(rseqOf(u.sent[1])).toBe(second);
    expect(m.state).toBe(ReliableState.AwaitingPrack);
  });

  it('a PRACK matches only by RSeq, CSeq number and method of the RAck', () => {
    const u = recordingUser();
    const m = new ReliableProvisionals(INVITE_SEQ, true, TIMERS, u);
    const rseq = m.send(provisional())!;
    expect(m.prack(rack(rseq + 1))).toBe(false);
    expect(m.prack(rack(rseq, INVITE_SEQ + 1))).toBe(false);
    expect(m.prack(rack(rseq, INVITE_SEQ, 'UPDATE'))).toBe(false);
    expect(m.prack(undefined)).toBe(false);
    expect(m.state).toBe(ReliableState.AwaitingPrack);
    expect(m.prack(rack(rseq))).toBe(true);
    // the same PRACK again (a new transaction) still names an acknowledged response
    expect(m.prack(rack(rseq))).toBe(true);
  });

  it('the final response stops retransmissions and drops the queue; a late PRACK of the outstanding one still matches', () => {
    const u = recordingUser();
    const m = new ReliableProvisionals(INVITE_SEQ, true, TIMERS, u);
    const first = m.send(provisional())!;
    m.send(provisional(180));
    m.finish();
    vi.advanceTimersByTime(60_000);
    expect(u.resent).toHaveLength(0);
    expect(u.timeouts).toBe(0);
    expect(m.prack(rack(first))).toBe(true);
    expect(u.sent).toHaveLength(1);
  });

  it('terminates when the transaction refuses the provisional', () => {
    const m = new ReliableProvisionals(INVITE_SEQ, true, TIMERS, recordingUser({ refuse: true }));
    m.send(provisional());
    expect(m.state).toBe(ReliableState.Terminated);
  });

  it('parses RAck values', () => {
    expect(parseRAck('776656 1 INVITE')).toEqual({ rseq: 776656, cseq: 1, method: 'INVITE' });
    expect(parseRAck(' 1  2 invite ')).toEqual({ rseq: 1, cseq: 2, method: 'INVITE' });
    expect(parseRAck('x 1 INVITE')).toBeUndefined();
    expect(parseRAck(undefined)).toBeUndefined();
  });
});

describe('reliable provisional responses: the INVITE ends while one is outstanding', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a user that finishes the machine from inside a retransmission stops further ones', () => {
    const u = recordingUser();
    const m: ReliableProvisionals = new ReliableProvisionals(INVITE_SEQ, true, TIMERS, {
      ...u,
      send: (res) => u.send(res),
      resend: (raw) => {
        u.resend(raw);
        m.finish();
      },
    });
    m.send(provisional());
    vi.advanceTimersByTime(60_000);
    expect(u.resent).toHaveLength(1);
    expect(u.timeouts).toBe(0);
  });
});
