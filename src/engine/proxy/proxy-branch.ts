// One client branch of a proxied request (RFC 3261 §16.6-§16.8): its transaction, timers and CANCEL.
import { parseUri, SipMessage } from '../../sip/index.js';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import type { ClientTransactionUser, Hop } from '../transaction/types.js';
import type { Peer } from '../transport/types.js';
import type { Core } from '../core/contexts.js';
import { startClientTransaction } from '../core/client-transactions.js';
import { hopForUri } from '../core/dialog-hop.js';
import { cancelFor } from '../core/message-factory.js';
import { hostPort, type LocalPoint } from '../core/local-point.js';
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
  /** first final outcome of the branch: a response, or a local one (408 timeout, 503 unreachable) */
  onFinal(b: ProxyBranch, status: number, r: Received | undefined): void;
  /** 2xx retransmissions, or 2xx after the branch was already settled */
  onLate2xx(b: ProxyBranch, r: Received): void;
  /** the branch's transaction needs nothing more from the context */
  onQuiet(b: ProxyBranch): void;
}

type Phase = 'waiting' | 'starting' | 'calling' | 'proceeding' | 'completed';

export class ProxyBranch implements ClientTransactionUser {
  phase: Phase = 'waiting';
  /** a final outcome was reported to the owner */
  settled = false;
  /** the transaction has reached a final response or ended (or never existed) */
  quiet = false;
  hop: Hop | undefined;
  private tx: ClientTransaction | undefined;
  private cancelWanted = false;
  private cancelSent = false;
  private got2xx = false;
  private provTimer: NodeJS.Timeout | undefined;
  private finalTimer: NodeJS.Timeout | undefined;

  constructor(readonly target: string, private readonly s: BranchSetup, private readonly owner: BranchOwner) {}

  get active(): boolean {
    return this.phase === 'starting' || ((this.phase === 'calling' || this.phase === 'proceeding') && !this.settled);
  }

  start(): void {
    if (this.phase !== 'waiting') return;
    this.phase = 'starting';
    this.launch().catch((err: unknown) => {
      this.s.core.log.info({ target: this.target, err: (err as Error).message }, 'proxy branch could not be started');
      this.phase = 'completed';
      this.quiet = true;
      this.settle(503, undefined);
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
    if (this.phase !== 'starting') return; // cancelled while resolving
    this.hop = hop;
    const branch = proxyBranch(this.s.loopHash);
    const t = local.transport;
    const via = `SIP/2.0/${t.toUpperCase()} ${hostPort(local)};branch=${branch};rport`;
    const rr = this.s.recordRoute ? recordRouteOf(local, /^sips:/i.test(this.s.base.uri)) : undefined;
    const req = branchRequest(this.s.base, this.s.replaceUri ? this.target : this.s.base.uri, via, rr);
    this.phase = 'calling';
    this.tx = startClientTransaction(core, req, branch, hop, this);
    const prov = this.s.provisionalTimeoutMs;
    if (prov !== undefined && this.tx.isInvite) this.provTimer = setTimeout(() => this.expire('provisional'), prov);
    if (this.tx.isInvite) this.armFinalTimer(this.s.finalTimeoutMs ?? TIMER_C_MS);
  }

  onResponse(res: SipMessage, raw: Buffer, from: Peer): void {
    const status = res.status;
    const r = { res, raw, from };
    if (status < 200) {
      if (this.phase === 'calling') this.phase = 'proceeding';
      this.clearProvTimer();
      if (this.cancelWanted) this.sendCancel();
      if (this.s.finalTimeoutMs === undefined && this.finalTimer && status > 100) this.armFinalTimer(TIMER_C_MS);
      if (!this.settled) this.owner.onProvisional(this, r);
      return;
    }
    if (status < 300 && this.got2xx) return this.owner.onLate2xx(this, r);
    if (status < 300) this.got2xx = true;
    this.phase = 'completed';
    this.clearTimers();
    if (!this.settled) this.settle(status, r);
    else if (status < 300) this.owner.onLate2xx(this, r);
    this.becomeQuiet();
  }

  onFailure(kind: 'timeout' | 'transport'): void {
    this.phase = 'completed';
    this.clearTimers();
    if (!this.settled) this.settle(kind === 'timeout' ? 408 : 503, undefined);
    this.becomeQuiet();
  }

  onTerminated(): void {
    this.clearTimers();
    this.becomeQuiet();
  }

  /** Stop this branch: not started → never; no response yet → CANCEL on the first one; ringing → CANCEL now. */
  cancel(): void {
    if (this.phase === 'waiting' || this.phase === 'starting') {
      this.phase = 'completed';
      this.settled = true;
      this.becomeQuiet();
      return;
    }
    if (this.phase === 'calling') this.cancelWanted = true;
    else if (this.phase === 'proceeding') this.sendCancel();
  }

  /** Timers and references go; the transaction itself runs out on its own timers. */
  dispose(): void {
    this.clearTimers();
  }

  private expire(which: 'provisional' | 'final'): void {
    if (which === 'provisional') this.provTimer = undefined;
    else this.finalTimer = undefined;
    if (this.settled) return;
    this.s.core.log.info({ target: this.target, which }, 'proxy branch timed out: cancelled');
    this.cancel();
    this.settle(408, undefined);
  }

  private settle(status: number, r: Received | undefined): void {
    this.settled = true;
    this.owner.onFinal(this, status, r);
  }

  private becomeQuiet(): void {
    if (this.quiet) return;
    this.quiet = true;
    this.owner.onQuiet(this);
  }

  private sendCancel(): void {
    const tx = this.tx;
    if (!tx || this.cancelSent || !tx.isInvite) return;
    this.cancelSent = true;
    this.cancelWanted = false;
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
    this.finalTimer = undefined;
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

