import { serializeMessage, type SipMessage } from '../../sip/index.js';
import type { CompletedResponses } from './completed-responses.js';
import { sixtyFourT1, type TimerConfig } from './timers.js';
import { IllegalTransitionError } from './transition-error.js';
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

const S = ServerState;

/** RFC 3261 figure 7 with RFC 6026's Accepted. */
const INVITE_SERVER: Record<ServerState, readonly ServerState[]> = {
  [S.Trying]: [],
  [S.Proceeding]: [S.Accepted, S.Completed, S.Terminated],
  [S.Accepted]: [S.Terminated],
  [S.Completed]: [S.Confirmed, S.Terminated],
  [S.Confirmed]: [S.Terminated],
  [S.Terminated]: [],
};

/** RFC 3261 figure 8. */
const NON_INVITE_SERVER: Record<ServerState, readonly ServerState[]> = {
  [S.Trying]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Terminated],
  [S.Accepted]: [],
  [S.Completed]: [S.Terminated],
  [S.Confirmed]: [],
  [S.Terminated]: [],
};

export interface ServerTransactionEvents {
  /** the 2xx to an INVITE was never acknowledged (Timer L, RFC 6026) */
  onAckTimeout?(tx: ServerTransaction): void;
  /** no ACK for a non-2xx final response (Timer H) */
  onNon2xxAckTimeout?(tx: ServerTransaction): void;
}

export class ServerTransaction {
  private current: ServerState;
  readonly isInvite: boolean;
  private response: SipMessage | undefined;
  private lastRaw: Buffer | undefined;
  /** Timer G, and the 2xx retransmission of the Accepted state */
  private retransmitTimer: NodeJS.Timeout | undefined;
  /** the state's deadline: Timer H, I, J or L */
  private deadlineTimer: NodeJS.Timeout | undefined;
  private interval: number;
  events: ServerTransactionEvents = {};
  /** local To-tag chosen for the first response > 100 */
  toTag: string | undefined;
  /** false for a proxy's transaction: a 2xx is retransmitted by the UAS behind it, not by us (RFC 6026 §7.1) */
  private retransmits2xx = true;

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
    // no timer runs in the initial state: the INVITE's 100 Trying is the TU's (§17.2.1)
    this.current = this.isInvite ? S.Proceeding : S.Trying;
    this.interval = timers.t1;
    gauge.inc();
  }

  get state(): ServerState {
    return this.current;
  }

  /** the last response sent */
  get lastResponse(): SipMessage | undefined {
    return this.response;
  }

  get isFinal(): boolean {
    return this.current !== S.Trying && this.current !== S.Proceeding;
  }

  /** Sends a response; returns the bytes sent, or undefined when the state forbids it. */
  /** The request is proxied: the UAS behind the proxy retransmits its 2xx, so this transaction forwards each one and retransmits none (RFC 6026 §7.1). */
  proxied(): void {
    this.retransmits2xx = false;
  }

  respond(res: SipMessage): Buffer | undefined {
    if (this.isFinal) return undefined;
    const raw = serializeMessage(res);
    this.response = res;
    this.lastRaw = raw;
    this.send(raw);
    const code = res.status;
    if (code < 200) {
      if (this.current === S.Trying) this.transition(S.Proceeding);
    } else this.transition(this.isInvite && code < 300 ? S.Accepted : S.Completed);
    return raw;
  }

  /** A retransmission of the request arrived: the last response goes again (§17.2.1, §17.2.2). */
  retransmission(): void {
    if (this.lastRaw && this.current !== S.Accepted && this.current !== S.Confirmed) this.send(this.lastRaw);
  }

  /** ACK matched: non-2xx ACK (same branch) or 2xx ACK found through the dialog. */
  ack(): void {
    if (this.current === S.Completed) this.transition(S.Confirmed);
    else if (this.current === S.Accepted) this.transition(S.Terminated);
  }

  terminate(): void {
    if (this.current !== S.Terminated) this.transition(S.Terminated);
  }

  /** The one guarded transition: clears the old state's timers and arms the new one's. */
  private transition(to: ServerState): void {
    const from = this.current;
    const allowed = (this.isInvite ? INVITE_SERVER : NON_INVITE_SERVER)[from];
    if (!allowed.includes(to)) throw new IllegalTransitionError(this.isInvite ? 'INVITE server transaction' : 'non-INVITE server transaction', from, to);
    this.current = to;
    this.clearTimers();
    const unreliable = this.responseHop.transport === 'udp';
    switch (to) {
      case S.Proceeding:
        return;
      case S.Accepted:
        if (unreliable && this.retransmits2xx) this.armRetransmit();
        this.deadlineTimer = setTimeout(() => {
          this.events.onAckTimeout?.(this);
          this.terminate();
        }, sixtyFourT1(this.timers)); // Timer L
        return;
      case S.Completed:
        if (this.isInvite) {
          if (unreliable) this.armRetransmit(); // Timer G
          this.deadlineTimer = setTimeout(() => {
            this.events.onNon2xxAckTimeout?.(this);
            this.terminate();
          }, sixtyFourT1(this.timers)); // Timer H
        } else if (unreliable && this.completed) {
          this.completed.add(this.key, this.lastRaw!, this.responseHop); // Timer J runs there
          this.transition(S.Terminated);
        } else if (unreliable) {
          this.deadlineTimer = setTimeout(() => this.terminate(), sixtyFourT1(this.timers)); // Timer J
        } else {
          this.transition(S.Terminated); // Timer J is zero over reliable transports
        }
        return;
      case S.Confirmed:
        if (unreliable)
          this.deadlineTimer = setTimeout(() => this.terminate(), this.timers.t4); // Timer I
        else this.transition(S.Terminated); // Timer I is zero over reliable transports
        return;
      case S.Terminated:
        this.gauge.dec();
        this.onDone(this);
        return;
      default:
        return;
    }
  }

  private send(raw: Buffer): void {
    this.sender.send(this.responseHop, raw);
  }

  private armRetransmit(): void {
    this.retransmitTimer = setTimeout(() => {
      if ((this.current === S.Completed || this.current === S.Accepted) && this.lastRaw) {
        this.send(this.lastRaw);
        this.interval = Math.min(this.interval * 2, this.timers.t2); // Timer G
        this.armRetransmit();
      }
    }, this.interval);
  }

  private clearTimers(): void {
    if (this.retransmitTimer) clearTimeout(this.retransmitTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.retransmitTimer = undefined;
    this.deadlineTimer = undefined;
  }
}
