import { serializeMessage, type SipMessage } from '../sip/index.js';
import type { CompletedResponses } from './completed-responses.js';
import { sixtyFourT1, type TimerConfig } from './timers.js';
import type { Gauge, Hop, Sender } from './types.js';

/** RFC 3261 §17.2.1 (INVITE) and §17.2.2 (non-INVITE) server state machines; 'accepted' per RFC 6026. */
export enum ServerState {
  Trying = 'trying',
  Proceeding = 'proceeding',
  Accepted = 'accepted',
  Completed = 'completed',
  Confirmed = 'confirmed',
  Terminated = 'terminated',
}

export interface ServerTransactionEvents {
  /** the 2xx to an INVITE was never acknowledged (Timer H after 2xx) */
  onAckTimeout?(tx: ServerTransaction): void;
  /** no ACK for a non-2xx final response (Timer H) */
  onNon2xxAckTimeout?(tx: ServerTransaction): void;
}

export class ServerTransaction {
  state: ServerState;
  readonly isInvite: boolean;
  lastResponse: SipMessage | undefined;
  private lastRaw: Buffer | undefined;
  private retransmitTimer: NodeJS.Timeout | undefined;
  private lifeTimer: NodeJS.Timeout | undefined;
  private interval: number;
  events: ServerTransactionEvents = {};
  /** local To-tag chosen for the first response > 100 */
  toTag: string | undefined;
  /** false for a proxy's transaction: a 2xx is retransmitted by the UAS behind it, not by us (RFC 6026 §7.1) */
  retransmits2xx = true;

  constructor(
    readonly key: string,
    readonly request: SipMessage,
    readonly raw: Buffer,
    /** where responses go (RFC 3261 §18.2.2) */
    readonly responseHop: Hop,
    private readonly sender: Sender,
    private readonly timers: TimerConfig,
    private readonly gauge: Gauge,
    private readonly onDone: (tx: ServerTransaction) => void,
    /** where a non-INVITE transaction over UDP spends Timer J, compactly */
    private readonly completed?: CompletedResponses,
  ) {
    this.isInvite = request.method === 'INVITE';
    this.state = this.isInvite ? ServerState.Proceeding : ServerState.Trying;
    this.interval = timers.t1;
    gauge.inc();
  }

  get isFinal(): boolean {
    return this.state !== ServerState.Trying && this.state !== ServerState.Proceeding;
  }

  /** Sends a response; returns the bytes sent, or undefined when the state forbids it. */
  respond(res: SipMessage): Buffer | undefined {
    if (this.isFinal) return undefined;
    const raw = serializeMessage(res);
    this.lastResponse = res;
    this.lastRaw = raw;
    this.send(raw);
    const code = res.status;
    if (code < 200) {
      this.state = ServerState.Proceeding;
      return raw;
    }
    const unreliable = this.responseHop.transport === 'udp';
    if (this.isInvite && code < 300) {
      this.state = ServerState.Accepted;
      if (unreliable && this.retransmits2xx) this.armRetransmit();
      this.lifeTimer = setTimeout(() => {
        this.events.onAckTimeout?.(this);
        this.terminate();
      }, sixtyFourT1(this.timers));
      return raw;
    }
    this.state = ServerState.Completed;
    if (this.isInvite) {
      if (unreliable) this.armRetransmit();
      this.lifeTimer = setTimeout(() => {
        this.events.onNon2xxAckTimeout?.(this);
        this.terminate();
      }, sixtyFourT1(this.timers)); // Timer H
    } else if (unreliable && this.completed) {
      this.completed.add(this.key, raw, this.responseHop); // Timer J runs there
      this.terminate();
    } else if (unreliable) {
      this.lifeTimer = setTimeout(() => this.terminate(), sixtyFourT1(this.timers)); // Timer J
    } else {
      this.terminate();
    }
    return raw;
  }

  /** A retransmission of the request arrived. */
  retransmission(): void {
    if (this.lastRaw && this.state !== ServerState.Accepted && this.state !== ServerState.Confirmed) this.send(this.lastRaw);
  }

  /** ACK matched: non-2xx ACK (same branch) or 2xx ACK found through the dialog. */
  ack(): void {
    if (this.state === ServerState.Completed) {
      this.state = ServerState.Confirmed;
      this.clearTimers();
      if (this.responseHop.transport === 'udp') this.lifeTimer = setTimeout(() => this.terminate(), this.timers.t4); // Timer I
      else this.terminate();
    } else if (this.state === ServerState.Accepted) {
      this.terminate();
    }
  }

  terminate(): void {
    if (this.state === ServerState.Terminated) return;
    this.state = ServerState.Terminated;
    this.clearTimers();
    this.gauge.dec();
    this.onDone(this);
  }

  private send(raw: Buffer): void {
    this.sender.send(this.responseHop, raw);
  }

  private armRetransmit(): void {
    this.retransmitTimer = setTimeout(() => {
      if ((this.state === ServerState.Completed || this.state === ServerState.Accepted) && this.lastRaw) {
        this.send(this.lastRaw);
        this.interval = Math.min(this.interval * 2, this.timers.t2); // Timer G
        this.armRetransmit();
      }
    }, this.interval);
  }

  private clearTimers(): void {
    if (this.retransmitTimer) clearTimeout(this.retransmitTimer);
    if (this.lifeTimer) clearTimeout(this.lifeTimer);
    this.retransmitTimer = undefined;
    this.lifeTimer = undefined;
  }
}
