// One client branch of a proxied request (RFC 3261 §16.6-§16.8, §9.1): a state machine over its transaction, timers and CANCEL.
import { parseUri, SipMessage } from '../../sip/index.js';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import type { ClientTransactionUser, Hop } from '../transaction/types.js';
import type { Peer } from '../transport/types.js';
import type { Core } from '../core/contexts.js';
import { startClientTransaction } from '../core/client-transactions.js';
import { hopForUri } from '../core/dialog-hop.js';
import { cancelFor } from '../core/message-factory.js';
import { cdrs } from '../core/cdrs.js';
import { hostPort, type LocalPoint } from '../core/local-point.js';
import { IllegalTransitionError } from '../transaction/transition-error.js';
import { sixtyFourT1 } from '../transaction/timers.js';
import { proxyBranch } from './branch-ids.js';
import { branchRequest } from './forwarded-request.js';

/** Timer C (RFC 3261 §16.6 step 11): longer than 3 minutes, restarted by each provisional. */
export const TIMER_C_MS = 185_000;

export interface Received {
  res: SipMessage;
  raw: Buffer;
  from: Peer;
}

export interface BranchSetup {
  core: Core;
  base: SipMessage;
  /** replace the R-URI by the destination (the incoming R-URI was ours) */
  replaceUri: boolean;
  recordRoute: boolean;
  loopHash: string;
  provisionalTimeoutMs: number | undefined;
  finalTimeoutMs: number | undefined;
}

/** What a branch reports to its proxy context. */
export interface BranchOwner {
  onProvisional(b: ProxyBranch, r: Received): void;
  /** the branch's one final outcome: a response, or a local one (408 timeout, 503 unreachable, 487 CANCEL unanswered) */
  onFinal(b: ProxyBranch, status: number, r: Received | undefined): void;
  /** 2xx retransmissions, or a 2xx after the outcome was reported (a timed-out branch) */
  onLate2xx(b: ProxyBranch, r: Received): void;
  /** the branch's transaction needs nothing more from the context */
  onQuiet(b: ProxyBranch): void;
}

/** RFC 3261 §16.6-§16.8 and §9.1 as one client branch of a proxy lives them. */
export enum ProxyBranchState {
  /** not started: a serial fork whose turn has not come */
  Waiting = 'waiting',
  /** destination being resolved, nothing sent yet */
  Resolving = 'resolving',
  /** request sent, no provisional response yet */
  Calling = 'calling',
  /** a provisional response came */
  Proceeding = 'proceeding',
  /** cancelled before any provisional: the CANCEL waits for the first one (§9.1) */
  CancelPending = 'cancel-pending',
  /** CANCEL sent; the final response (487, or a 2xx that crossed it) is still to come */
  Cancelling = 'cancelling',
  /** a proxy timer fired before any provisional: 408 reported, the CANCEL waits for a provisional */
  ExpiredCancelPending = 'expired-cancel-pending',
  /** a proxy timer fired while proceeding: 408 reported, CANCEL sent */
  ExpiredCancelling = 'expired-cancelling',
  /** the final outcome was reported; an INVITE's transaction may still pass on 2xx retransmissions */
  Completed = 'completed',
  /** nothing more comes: the transaction ended, never existed, or the branch was dropped */
  Terminated = 'terminated',
}

const S = ProxyBranchState;

const TRANSITIONS: Record<ProxyBranchState, readonly ProxyBranchState[]> = {
  [S.Waiting]: [S.Resolving, S.Terminated],
  [S.Resolving]: [S.Calling, S.Terminated],
  [S.Calling]: [S.Proceeding, S.CancelPending, S.ExpiredCancelPending, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Proceeding, S.Cancelling, S.ExpiredCancelling, S.Completed, S.Terminated],
  [S.CancelPending]: [S.Cancelling, S.Completed, S.Terminated],
  [S.Cancelling]: [S.Completed, S.Terminated],
  [S.ExpiredCancelPending]: [S.ExpiredCancelling, S.Completed, S.Terminated],
  [S.ExpiredCancelling]: [S.Completed, S.Terminated],
  [S.Completed]: [S.Terminated],
  [S.Terminated]: [],
};

/** Its outcome is still to come from the network (serial forking waits for it). */
const ACTIVE: ReadonlySet<ProxyBranchState> = new Set([S.Resolving, S.Calling, S.Proceeding, S.CancelPending, S.Cancelling]);

export class ProxyBranch implements ClientTransactionUser {
  private current = S.Waiting;
  private readonly isInvite: boolean;
  private resolvedHop: Hop | undefined;
  private tx: ClientTransaction | undefined;
  /** Calling only: the app's provisional timeout */
  private provTimer: NodeJS.Timeout | undefined;
  /** Calling and Proceeding: Timer C, or the app's final timeout */
  private finalTimer: NodeJS.Timeout | undefined;
  /** Cancelling states: how long the INVITE may stay unanswered after its CANCEL (§9.1) */
  private cancelTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly target: string,
    private readonly s: BranchSetup,
    private readonly owner: BranchOwner,
  ) {
    this.isInvite = s.base.method === 'INVITE';
  }

  get state(): ProxyBranchState {
    return this.current;
  }

  /** where the request went, once resolved */
  get hop(): Hop | undefined {
    return this.resolvedHop;
  }

  get active(): boolean {
    return ACTIVE.has(this.current);
  }

  /** the transaction needs nothing more from the context: a final came, or it ended (or never existed) */
  get quiet(): boolean {
    return this.current === S.Completed || this.current === S.Terminated;
  }

  start(): void {
    if (this.current !== S.Waiting) return;
    this.transition(S.Resolving);
    this.launch().catch((err: unknown) => {
      if (this.current !== S.Resolving) return;
      this.s.core.log.info({ target: this.target, err: (err as Error).message }, 'proxy branch could not be started');
      this.transition(S.Terminated);
      this.owner.onFinal(this, 503, undefined);
      this.owner.onQuiet(this);
    });
  }

  private async launch(): Promise<void> {
    const { core } = this.s;
    const uri = parseUri(this.target);
    if (!uri || uri.scheme === 'tel') throw new Error(`unroutable destination ${this.target}`);
    let hop = await hopForUri(core, uri);
    let local = core.localPoint(hop.transport);
    // UDP-only destinations may go over TCP instead; a sips: one never leaves in the clear
    if (!local && !uri.params.has('transport') && uri.scheme !== 'sips') {
      hop = { ...hop, transport: 'tcp' };
      local = core.localPoint('tcp');
    }
    if (!local) throw new Error('no listen point for the destination transport');
    if (this.current !== S.Resolving) return; // cancelled while resolving
    this.resolvedHop = hop;
    const branch = proxyBranch(this.s.loopHash);
    const t = local.transport;
    const via = `SIP/2.0/${t.toUpperCase()} ${hostPort(local)};branch=${branch};rport`;
    const rr = this.s.recordRoute ? recordRouteOf(local, /^sips:/i.test(this.s.base.uri)) : undefined;
    const req = branchRequest(this.s.base, this.s.replaceUri ? this.target : this.s.base.uri, via, rr);
    this.transition(S.Calling);
    this.tx = startClientTransaction(core, req, branch, hop, this);
    if (this.isInvite) cdrs.attempt(core, 'application', this.tx.wireBytes);
  }

  onResponse(res: SipMessage, raw: Buffer, from: Peer): void {
    const status = res.status;
    const r = { res, raw, from };
    const state = this.current;
    if (status < 200) {
      if (state === S.Calling || state === S.Proceeding) {
        // §16.7 step 2: every provisional but 100 restarts Timer C
        if (state === S.Calling || status > 100) this.transition(S.Proceeding, status > 100);
        this.owner.onProvisional(this, r);
      } else if (state === S.CancelPending) this.transition(S.Cancelling);
      else if (state === S.ExpiredCancelPending) this.transition(S.ExpiredCancelling);
      return;
    }
    if (state === S.Completed) {
      if (status < 300) this.owner.onLate2xx(this, r); // retransmitted or forked 2xx
      return;
    }
    if (state === S.Terminated || state === S.Waiting || state === S.Resolving) return;
    const reported = this.outcomeReported;
    this.transition(S.Completed);
    if (this.isInvite && status < 300) cdrs.start(this.s.core, 'network', 'proxy-uac', raw);
    if (!reported) this.owner.onFinal(this, status, r);
    else if (status < 300) this.owner.onLate2xx(this, r);
    this.owner.onQuiet(this);
  }

  onFailure(kind: 'timeout' | 'transport'): void {
    if (this.quiet) return;
    const reported = this.outcomeReported;
    this.transition(S.Completed);
    if (!reported) this.owner.onFinal(this, kind === 'timeout' ? 408 : 503, undefined);
    this.owner.onQuiet(this);
  }

  onTerminated(): void {
    if (this.current === S.Terminated) return;
    const wasQuiet = this.quiet;
    this.transition(S.Terminated);
    if (!wasQuiet) this.owner.onQuiet(this);
  }

  /**
   * Stop this branch (§16.10, §16.7 step 10): not started → never; no provisional yet → CANCEL on
   * the first one (§9.1); proceeding → CANCEL now. A non-INVITE is never cancelled, it runs out.
   */
  cancel(): void {
    switch (this.current) {
      case S.Waiting:
      case S.Resolving:
        this.transition(S.Terminated);
        this.owner.onQuiet(this);
        return;
      case S.Calling:
        if (this.isInvite) this.transition(S.CancelPending);
        return;
      case S.Proceeding:
        if (this.isInvite) this.transition(S.Cancelling);
        return;
      default:
        return;
    }
  }

  /** The context is gone: an unfinished branch is dropped; its transaction runs out on its own timers. */
  dispose(): void {
    if (!this.quiet) this.transition(S.Terminated);
  }

  private get outcomeReported(): boolean {
    return this.current === S.ExpiredCancelPending || this.current === S.ExpiredCancelling;
  }

  /**
   * The one guarded transition; it arms and clears each state's timers and sends the CANCEL on
   * entering a cancelling state. `resetTimerC`: a 101-199 response moved the branch to Proceeding.
   */
  private transition(to: ProxyBranchState, resetTimerC = false): void {
    const from = this.current;
    if (!TRANSITIONS[from].includes(to)) throw new IllegalTransitionError('proxy branch', from, to);
    this.current = to;
    switch (to) {
      case S.Calling: {
        if (!this.isInvite) return;
        const prov = this.s.provisionalTimeoutMs;
        if (prov !== undefined) this.provTimer = setTimeout(() => this.expire('provisional'), prov);
        // §16.6 step 11: Timer C from the moment the client transaction exists
        this.armFinalTimer(this.s.finalTimeoutMs ?? TIMER_C_MS);
        return;
      }
      case S.Proceeding:
        this.clearProvTimer();
        // an app-chosen final timeout runs from the start and is not restarted
        if (resetTimerC && this.isInvite && this.s.finalTimeoutMs === undefined) this.armFinalTimer(TIMER_C_MS);
        return;
      case S.Cancelling:
      case S.ExpiredCancelling:
        this.clearTimers();
        this.sendCancel();
        // §9.1: no final 64·T1 after the CANCEL → the INVITE transaction is given up
        this.cancelTimer = setTimeout(() => this.cancelUnanswered(), sixtyFourT1(this.s.core.timers));
        return;
      default:
        this.clearTimers();
        return;
    }
  }

  /** Provisional timeout or Timer C (§16.8): the branch counts as a 408 and is cancelled. */
  private expire(which: 'provisional' | 'final'): void {
    if (which === 'provisional') this.provTimer = undefined;
    else this.finalTimer = undefined;
    this.s.core.log.info({ target: this.target, which }, 'proxy branch timed out: cancelled');
    this.transition(this.current === S.Calling ? S.ExpiredCancelPending : S.ExpiredCancelling);
    this.owner.onFinal(this, 408, undefined);
  }

  private cancelUnanswered(): void {
    this.cancelTimer = undefined;
    this.s.core.log.info({ target: this.target }, 'proxy branch: no final response after CANCEL, transaction given up');
    const reported = this.outcomeReported;
    this.transition(S.Completed);
    if (!reported) this.owner.onFinal(this, 487, undefined);
    this.owner.onQuiet(this);
    this.tx?.terminate();
  }

  private sendCancel(): void {
    const tx = this.tx;
    if (!tx) return;
    startClientTransaction(this.s.core, cancelFor(tx.request), tx.branch, tx.hop);
  }

  private armFinalTimer(ms: number): void {
    if (this.finalTimer) clearTimeout(this.finalTimer);
    this.finalTimer = setTimeout(() => this.expire('final'), ms);
  }

  private clearProvTimer(): void {
    if (this.provTimer) clearTimeout(this.provTimer);
    this.provTimer = undefined;
  }

  private clearTimers(): void {
    this.clearProvTimer();
    if (this.finalTimer) clearTimeout(this.finalTimer);
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    this.finalTimer = undefined;
    this.cancelTimer = undefined;
  }
}

/**
 * `<sip:HOST:PORT[;transport=x];lr>` of the listen point the branch leaves from; a SIPS URI when
 * the Request-URI is one and we leave over TLS (RFC 3261 §16.6 step 4).
 */
export function recordRouteOf(local: LocalPoint, sips = false): string {
  if (sips && local.transport === 'tls') return `<sips:${hostPort(local)};lr>`;
  return `<sip:${hostPort(local)}${local.transport === 'udp' ? '' : `;transport=${local.transport}`};lr>`;
}
