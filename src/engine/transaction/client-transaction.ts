import { serializeMessage, type SipMessage } from '../../sip/index.js';
import { hopByHopRequest } from './hop-by-hop-request.js';
import type { Peer } from '../transport/types.js';
import { sixtyFourT1, type TimerConfig } from './timers.js';
import { IllegalTransitionError } from './transition-error.js';
import type { ClientTransactionUser, Gauge, Hop, Sender } from './types.js';
import { reasonPhrase } from '../../sip/index.js';

/** RFC 3261 §17.1.1 (INVITE) and §17.1.2 (non-INVITE) client state machines; 'accepted' per RFC 6026. */
export enum ClientState {
  /** created, request not sent yet */
  Idle = 'idle',
  Calling = 'calling',
  Trying = 'trying',
  Proceeding = 'proceeding',
  Accepted = 'accepted',
  Completed = 'completed',
  Terminated = 'terminated',
}

const C = ClientState;

/** RFC 3261 figure 5 with RFC 6026's Accepted. */
const INVITE_CLIENT: Record<ClientState, readonly ClientState[]> = {
  [C.Idle]: [C.Calling, C.Terminated],
  [C.Calling]: [C.Proceeding, C.Accepted, C.Completed, C.Terminated],
  [C.Trying]: [],
  [C.Proceeding]: [C.Accepted, C.Completed, C.Terminated],
  [C.Accepted]: [C.Terminated],
  [C.Completed]: [C.Terminated],
  [C.Terminated]: [],
};

/** RFC 3261 figure 6. */
const NON_INVITE_CLIENT: Record<ClientState, readonly ClientState[]> = {
  [C.Idle]: [C.Trying, C.Terminated],
  [C.Calling]: [],
  [C.Trying]: [C.Proceeding, C.Completed, C.Terminated],
  [C.Proceeding]: [C.Completed, C.Terminated],
  [C.Accepted]: [],
  [C.Completed]: [C.Terminated],
  [C.Terminated]: [],
};

const IGNORE: ClientTransactionUser = { onResponse() {}, onFailure() {}, onTerminated() {} };

export class ClientTransaction {
  private current = C.Idle;
  readonly isInvite: boolean;
  readonly key: string;
  private readonly raw: Buffer;
  /** Timer A or E */
  private retransmitTimer: NodeJS.Timeout | undefined;
  /** the state's deadline: Timer B, D, F, K or M */
  private deadlineTimer: NodeJS.Timeout | undefined;
  private interval: number;
  private ackRaw: Buffer | undefined;
  private user: ClientTransactionUser = IGNORE;
  lastProvisional: SipMessage | undefined;
  finalStatus = 0;

  constructor(
    readonly request: SipMessage,
    readonly branch: string,
    readonly hop: Hop,
    private readonly sender: Sender,
    private readonly timers: TimerConfig,
    private readonly gauge: Gauge,
    private readonly onDone: (tx: ClientTransaction) => void,
  ) {
    this.isInvite = request.method === 'INVITE';
    this.key = clientKey(branch, request.method);
    this.raw = serializeMessage(request);
    this.interval = timers.t1;
    gauge.inc();
  }

  get state(): ClientState {
    return this.current;
  }

  get wireBytes(): Buffer {
    return this.raw;
  }

  /** Sends the request; from now on `user` hears of its responses and its end. */
  start(user: ClientTransactionUser): void {
    this.user = user;
    this.transition(this.isInvite ? C.Calling : C.Trying);
    this.transmit();
  }

  /** Response matched to this transaction by the transaction table. */
  receive(res: SipMessage, raw: Buffer, from: Peer): void {
    const code = res.status;
    const state = this.current;
    if (state === C.Terminated || state === C.Idle) return;
    if (code < 200) {
      if (state === C.Calling || state === C.Trying) this.transition(C.Proceeding);
      if (this.current === C.Proceeding) {
        if (code > 100) this.lastProvisional = res;
        this.user.onResponse(res, raw, from);
      }
      return;
    }
    if (state === C.Completed) {
      // retransmitted final response: re-ACK non-2xx INVITE finals, otherwise absorb
      if (this.isInvite && this.ackRaw) this.sender.send(this.hop, this.ackRaw);
      return;
    }
    if (state === C.Accepted) {
      // retransmitted (or forked) 2xx: the TU re-sends its ACK (RFC 6026 §7.2)
      this.user.onResponse(res, raw, from);
      return;
    }
    this.finalStatus = code;
    if (this.isInvite && code < 300) {
      this.transition(C.Accepted);
      this.user.onResponse(res, raw, from);
      return;
    }
    if (this.isInvite) this.ackRaw = serializeMessage(buildNon2xxAck(this.request, res));
    this.transition(C.Completed);
    this.user.onResponse(res, raw, from);
    // Timers D and K are zero over reliable transports: done once the TU has the response
    if (this.hop.transport !== 'udp') this.terminate();
  }

  /** Transport or DNS failure reported by the sender. */
  transportError(err: Error): void {
    if (this.current !== C.Calling && this.current !== C.Trying && this.current !== C.Proceeding) return;
    this.user.onFailure('transport', err.message);
    this.terminate();
  }

  terminate(): void {
    if (this.current !== C.Terminated) this.transition(C.Terminated);
  }

  /**
   * The one guarded transition: clears the old state's timers and arms the new one's. Timers E
   * and F of a non-INVITE span Trying and Proceeding, so that step keeps them running.
   */
  private transition(to: ClientState): void {
    const from = this.current;
    const allowed = (this.isInvite ? INVITE_CLIENT : NON_INVITE_CLIENT)[from];
    if (!allowed.includes(to)) throw new IllegalTransitionError(this.isInvite ? 'INVITE client transaction' : 'non-INVITE client transaction', from, to);
    this.current = to;
    if (from === C.Trying && to === C.Proceeding) return;
    this.clearTimers();
    const unreliable = this.hop.transport === 'udp';
    switch (to) {
      case C.Calling: // Timers A and B
      case C.Trying: // Timers E and F
        if (unreliable) this.armRetransmit();
        this.deadlineTimer = setTimeout(() => this.timeout(), sixtyFourT1(this.timers));
        return;
      case C.Proceeding:
        return; // an INVITE waits for its final response (Timer C is the proxy's business)
      case C.Accepted:
        this.deadlineTimer = setTimeout(() => this.terminate(), sixtyFourT1(this.timers)); // Timer M
        return;
      case C.Completed:
        if (this.isInvite && this.ackRaw) this.sender.send(this.hop, this.ackRaw);
        // Timer D (≥ 32 s; 64·T1 at the default T1) / Timer K (T4); zero over reliable transports
        if (unreliable) this.deadlineTimer = setTimeout(() => this.terminate(), this.isInvite ? sixtyFourT1(this.timers) : this.timers.t4);
        return;
      case C.Terminated:
        this.gauge.dec();
        this.onDone(this);
        this.user.onTerminated();
        return;
      default:
        return;
    }
  }

  private transmit(): void {
    this.sender.send(this.hop, this.raw, (err) => this.transportError(err));
  }

  private armRetransmit(): void {
    this.retransmitTimer = setTimeout(() => {
      if (this.current === C.Calling || this.current === C.Trying || (!this.isInvite && this.current === C.Proceeding)) {
        this.transmit();
        // Timer A doubles without cap; Timer E doubles up to T2, and is T2 once proceeding
        this.interval = this.isInvite ? this.interval * 2 : this.current === C.Proceeding ? this.timers.t2 : Math.min(this.interval * 2, this.timers.t2);
        this.armRetransmit();
      }
    }, this.interval);
  }

  /** Timer B or F: no final response in time. */
  private timeout(): void {
    this.deadlineTimer = undefined;
    this.user.onFailure('timeout', reasonPhrase(408));
    this.terminate();
  }

  private clearTimers(): void {
    if (this.retransmitTimer) clearTimeout(this.retransmitTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.retransmitTimer = undefined;
    this.deadlineTimer = undefined;
  }
}

export const clientKey = (branch: string, method: string): string => `${branch}\u0000${method === 'ACK' ? 'INVITE' : method}`;

/** RFC 3261 §17.1.1.3: the ACK for a non-2xx final response; its To carries the response's tag. */
export function buildNon2xxAck(invite: SipMessage, res: SipMessage): SipMessage {
  return hopByHopRequest(invite, 'ACK', res.getHeader('To') ?? invite.getHeader('To') ?? '');
}
