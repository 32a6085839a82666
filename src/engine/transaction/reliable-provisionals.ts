import type { SipMessage } from '../../sip/index.js';
import { sixtyFourT1, type TimerConfig } from './timers.js';

/** RFC 3262 §3, the UAS side of one INVITE: at most one reliable provisional awaits its PRACK. */
export enum ReliableState {
  Idle = 'idle',
  AwaitingPrack = 'awaiting-prack',
  /** the INVITE got its final response, or the PRACK never came */
  Terminated = 'terminated',
}

export interface RAck {
  rseq: number;
  cseq: number;
  method: string;
}

/** What the machine needs from the INVITE's server transaction. */
export interface ReliableProvisionalUser {
  /** first transmission; undefined when the INVITE can no longer take a provisional */
  send(res: SipMessage): Buffer | undefined;
  /** RFC 3262 retransmission, over unreliable transports only */
  resend(raw: Buffer): void;
  /** 64·T1 without the PRACK: the UAS SHOULD reject the INVITE with a 5xx */
  onPrackTimeout(): void;
}

interface Outstanding {
  rseq: number;
  res: SipMessage;
  raw: Buffer | undefined;
}

/** The highest RSeq a UAS starts from is 2**31 - 1 (RFC 3262 §3); we keep well below it. */
const firstRSeq = (): number => Math.floor(Math.random() * 1_000_000) + 1;

export function parseRAck(value: string | undefined): RAck | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s+([A-Za-z]+)\s*$/.exec(value ?? '');
  if (!m) return undefined;
  return { rseq: Number(m[1]), cseq: Number(m[2]), method: m[3]!.toUpperCase() };
}

export class ReliableProvisionals {
  state = ReliableState.Idle;
  private nextRSeq = firstRSeq();
  private outstanding: Outstanding | undefined;
  /** the last RSeq PRACKed: a PRACK retransmitted on a new branch still matches it */
  private lastAcked: number | undefined;
  private readonly queue: Outstanding[] = [];
  private retransmitTimer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private interval: number;

  constructor(
    private readonly inviteSeq: number,
    private readonly unreliableTransport: boolean,
    private readonly timers: TimerConfig,
    private readonly user: ReliableProvisionalUser,
  ) {
    this.interval = timers.t1;
  }

  /**
   * Stamps `res` with the next RSeq and sends it, or queues it behind the one awaiting its PRACK
   * (RFC 3262 §3: no second reliable provisional before the first is acknowledged). Returns the
   * RSeq given, undefined when the machine is terminated.
   */
  send(res: SipMessage): number | undefined {
    if (this.state === ReliableState.Terminated) return undefined;
    const rseq = this.nextRSeq++;
    res.addHeader('RSeq', String(rseq));
    const entry: Outstanding = { rseq, res, raw: undefined };
    if (this.state === ReliableState.AwaitingPrack) this.queue.push(entry);
    else this.transition(ReliableState.AwaitingPrack, entry);
    return rseq;
  }

  /** An incoming PRACK: true when its RAck names a reliable provisional of this INVITE (RFC 3262 §3 matching). */
  prack(rack: RAck | undefined): boolean {
    if (!rack || rack.method !== 'INVITE' || rack.cseq !== this.inviteSeq) return false;
    const o = this.outstanding;
    if (o && o.rseq === rack.rseq) {
      this.lastAcked = o.rseq;
      const next = this.queue.shift();
      if (this.state === ReliableState.Terminated) this.outstanding = undefined;
      else if (next) this.transition(ReliableState.AwaitingPrack, next);
      else this.transition(ReliableState.Idle);
      return true;
    }
    return this.lastAcked === rack.rseq;
  }

  /** The INVITE has its final response: stop retransmitting and drop what is queued. */
  finish(): void {
    this.transition(ReliableState.Terminated);
  }

  /** The one guarded transition: clears the old state's timers and arms the new one's. */
  private transition(to: ReliableState, entry?: Outstanding): void {
    if (this.state === ReliableState.Terminated) return;
    this.clearTimers();
    this.state = to;
    if (to === ReliableState.Terminated) {
      this.queue.length = 0;
      return;
    }
    if (to === ReliableState.Idle) {
      this.outstanding = undefined;
      return;
    }
    this.outstanding = entry;
    const raw = entry ? this.user.send(entry.res) : undefined;
    if (!entry || !raw) {
      this.transition(ReliableState.Terminated);
      return;
    }
    entry.raw = raw;
    this.interval = this.timers.t1;
    if (this.unreliableTransport) this.armRetransmit(raw);
    this.timeoutTimer = setTimeout(() => {
      this.timeoutTimer = undefined;
      this.transition(ReliableState.Terminated);
      this.user.onPrackTimeout();
    }, sixtyFourT1(this.timers));
    this.timeoutTimer.unref?.();
  }

  /** RFC 3262 §3: the interval starts at T1 and doubles for each retransmission (no T2 cap). */
  private armRetransmit(raw: Buffer): void {
    this.retransmitTimer = setTimeout(() => {
      this.user.resend(raw);
      if (this.state !== ReliableState.AwaitingPrack) return; // the user finished us meanwhile
      this.interval *= 2;
      this.armRetransmit(raw);
    }, this.interval);
    this.retransmitTimer.unref?.();
  }

  private clearTimers(): void {
    if (this.retransmitTimer) clearTimeout(this.retransmitTimer);
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    this.retransmitTimer = undefined;
    this.timeoutTimer = undefined;
  }
}
