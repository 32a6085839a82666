import { serializeMessage, type SipMessage } from '../sip/index.js';
import { hopByHopRequest } from './hop-by-hop-request.js';
import type { Peer } from '../transport/types.js';
import { sixtyFourT1, type TimerConfig } from './timers.js';
import type { ClientTransactionUser, Gauge, Hop, Sender } from './types.js';

/** RFC 3261 §17.1.1 (INVITE) and §17.1.2 (non-INVITE) client state machines; 'accepted' per RFC 6026. */
export enum ClientState {
  Calling = 'calling',
  Trying = 'trying',
  Proceeding = 'proceeding',
  Accepted = 'accepted',
  Completed = 'completed',
  Terminated = 'terminated',
}

const IGNORE: ClientTransactionUser = { onResponse() {}, onFailure() {}, onTerminated() {} };

export class ClientTransaction {
  state: ClientState;
  readonly isInvite: boolean;
  readonly key: string;
  private raw: Buffer;
  private retransmitTimer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private interval: number;
  private ackRaw: Buffer | undefined;
  lastProvisional: SipMessage | undefined;
  finalStatus = 0;
  private user: ClientTransactionUser = IGNORE;

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
    this.state = this.isInvite ? ClientState.Calling : ClientState.Trying;
    this.raw = serializeMessage(request);
    this.interval = timers.t1;
    gauge.inc();
  }

  get wireBytes(): Buffer {
    return this.raw;
  }

  /** Sends the request; from now on `user` hears of its responses and its end. */
  start(user: ClientTransactionUser): void {
    this.user = user;
    this.transmit();
    if (this.hop.transport === 'udp') this.armRetransmit();
    this.timeoutTimer = setTimeout(() => this.timeout(), sixtyFourT1(this.timers));
  }

  /** Response matched to this transaction by the transaction table. */
  receive(res: SipMessage, raw: Buffer, from: Peer): void {
    const code = res.status;
    if (this.state === ClientState.Terminated) return;
    if (code < 200) {
      if (this.state === ClientState.Calling || this.state === ClientState.Trying) {
        this.state = ClientState.Proceeding;
        if (this.isInvite) this.clearRetransmit();
      }
      if (this.state === ClientState.Proceeding) {
        if (code > 100) this.lastProvisional = res;
        this.user.onResponse(res, raw, from);
      }
      return;
    }
    if (this.state === ClientState.Completed) {
      // retransmitted final response: re-ACK non-2xx INVITE finals, otherwise absorb
      if (this.isInvite && this.ackRaw) this.sender.send(this.hop, this.ackRaw);
      return;
    }
    if (this.state === ClientState.Accepted) {
      // retransmitted (or forked) 2xx: the TU re-sends its ACK (RFC 6026 §7.2)
      this.user.onResponse(res, raw, from);
      return;
    }
    this.finalStatus = code;
    this.clearRetransmit();
    this.clearTimeout();
    if (this.isInvite && code < 300) {
      this.state = ClientState.Accepted;
      this.user.onResponse(res, raw, from);
      this.timeoutTimer = setTimeout(() => this.terminate(), sixtyFourT1(this.timers)); // Timer M
      return;
    }
    this.state = ClientState.Completed;
    if (this.isInvite) {
      this.ackRaw = serializeMessage(buildNon2xxAck(this.request, res));
      this.sender.send(this.hop, this.ackRaw);
    }
    this.user.onResponse(res, raw, from);
    const linger = this.hop.transport === 'udp' ? (this.isInvite ? sixtyFourT1(this.timers) : this.timers.t4) : 0; // Timer D (≥ 32 s at the default T1) / K
    if (linger === 0) this.terminate();
    else this.timeoutTimer = setTimeout(() => this.terminate(), linger);
  }

  /** Transport or DNS failure reported by the sender. */
  transportError(err: Error): void {
    if (this.state !== ClientState.Calling && this.state !== ClientState.Trying && this.state !== ClientState.Proceeding) return;
    this.user.onFailure('transport', err.message);
    this.terminate();
  }

  terminate(): void {
    if (this.state === ClientState.Terminated) return;
    this.state = ClientState.Terminated;
    this.clearRetransmit();
    this.clearTimeout();
    this.gauge.dec();
    this.onDone(this);
    this.user.onTerminated();
  }

  private transmit(): void {
    this.sender.send(this.hop, this.raw, (err) => this.transportError(err));
  }

  private armRetransmit(): void {
    this.retransmitTimer = setTimeout(() => {
      if (this.state === ClientState.Calling || this.state === ClientState.Trying || (!this.isInvite && this.state === ClientState.Proceeding)) {
        this.transmit();
        // Timer A doubles without cap; Timer E doubles up to T2, and is T2 once proceeding
        this.interval = this.isInvite ? this.interval * 2 : this.state === ClientState.Proceeding ? this.timers.t2 : Math.min(this.interval * 2, this.timers.t2);
        this.armRetransmit();
      }
    }, this.interval);
  }

  private timeout(): void {
    this.timeoutTimer = undefined;
    if (this.state === ClientState.Calling || this.state === ClientState.Trying || this.state === ClientState.Proceeding) {
      // an INVITE in Proceeding waits for the final response (Timer C is the proxy's business)
      if (this.isInvite && this.state === ClientState.Proceeding) return;
      this.user.onFailure('timeout', 'Request Timeout');
      this.terminate();
    }
  }

  private clearRetransmit(): void {
    if (this.retransmitTimer) clearTimeout(this.retransmitTimer);
    this.retransmitTimer = undefined;
  }

  private clearTimeout(): void {
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    this.timeoutTimer = undefined;
  }
}

export const clientKey = (branch: string, method: string): string => `${branch}\u0000${method === 'ACK' ? 'INVITE' : method}`;

/** RFC 3261 §17.1.1.3: the ACK for a non-2xx final response; its To carries the response's tag. */
export function buildNon2xxAck(invite: SipMessage, res: SipMessage): SipMessage {
  return hopByHopRequest(invite, 'ACK', res.getHeader('To') ?? invite.getHeader('To') ?? '');
}
