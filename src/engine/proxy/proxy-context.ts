// One proxied server transaction (RFC 3261 §16.7, §16.10) as a state machine: forking, response selection, CANCEL, reply frames.
import { generateTag, parseNameAddr, serializeMessage, type SipMessage } from '../../sip/index.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { Core } from '../core/contexts.js';
import { responseTo } from '../core/message-factory.js';
import { cdrs } from '../core/cdrs.js';
import type { AppConnection } from '../wire/app-connection.js';
import { proxyContinueFrame, proxyDoneFrame, wireTime } from '../wire/leader.js';
import type { ProxyCommand } from './proxy-command.js';
import { ProxyBranch, ProxyBranchState, type BranchOwner, type BranchSetup, type Received } from './proxy-branch.js';
import { withoutTopVia } from './forwarded-request.js';
import { bestResponse } from './response-ranking.js';
import { IllegalTransitionError } from '../transaction/transition-error.js';

interface Outcome {
  status: number;
  received: Received | undefined;
  branch: ProxyBranch;
}

export interface ProxyContextInit {
  core: Core;
  conn: AppConnection;
  rid: string;
  cmd: ProxyCommand;
  tx: ServerTransaction;
  /** Via values for responses we generate ourselves (received/rport stamped) */
  vias: string[];
  setup: Omit<BranchSetup, 'core'>;
  onFinished(ctx: ProxyContext): void;
}

/** RFC 3261 §16.7 and §16.10 on the server side of one proxied request. */
export enum ProxyContextState {
  /** built, no branch started */
  Idle = 'idle',
  /** branches running, no final response upstream yet: provisionals are forwarded */
  Forking = 'forking',
  /** a final response went upstream (a 2xx at once, a 6xx, or the best once every branch ended) */
  Completed = 'completed',
  /** the caller's CANCEL was answered with 487 upstream; the branches are being cancelled */
  Cancelled = 'cancelled',
  /** every branch ended, or the engine stopped: out of the proxy core's table */
  Terminated = 'terminated',
}

const S = ProxyContextState;

const TRANSITIONS: Record<ProxyContextState, readonly ProxyContextState[]> = {
  [S.Idle]: [S.Forking, S.Terminated],
  [S.Forking]: [S.Completed, S.Cancelled, S.Terminated],
  [S.Completed]: [S.Terminated],
  [S.Cancelled]: [S.Terminated],
  [S.Terminated]: [],
};

export class ProxyContext implements BranchOwner {
  readonly branches: ProxyBranch[];
  private current = S.Idle;
  private readonly outcomes: Outcome[] = [];
  /** final responses received, in arrival order, for the `continue` frames */
  private readonly finals: Received[] = [];

  constructor(private readonly i: ProxyContextInit) {
    this.branches = i.cmd.destinations.map((d) => this.newBranch(d));
  }

  get key(): string {
    return this.i.tx.key;
  }

  get state(): ProxyContextState {
    return this.current;
  }

  start(): void {
    if (this.current !== S.Idle) return;
    this.transition(S.Forking);
    if (this.i.cmd.simultaneous) for (const b of this.branches) b.start();
    else this.branches[0]?.start();
  }

  // ---- upstream CANCEL (§16.10)
  cancel(): void {
    if (this.current !== S.Forking) return;
    this.transition(S.Cancelled);
    this.respondLocally(487);
    for (const b of this.branches) b.cancel();
    this.checkFinished();
  }

  // ---- BranchOwner
  onProvisional(_b: ProxyBranch, r: Received): void {
    if (this.current !== S.Forking || r.res.status === 100) return;
    this.i.tx.respond(withoutTopVia(r.res));
  }

  onFinal(b: ProxyBranch, status: number, r: Received | undefined): void {
    if (r) this.finals.push(r);
    if (this.current !== S.Forking) {
      if (r && status < 300) this.relay2xx(r);
      this.checkFinished();
      return;
    }
    if (status < 300 && r) {
      // §16.7 step 5: a 2xx goes upstream at once; step 10: the other branches are cancelled
      this.forward(r);
      this.cancelOthers(b);
    } else if (status < 400 && r && this.i.cmd.followRedirects && this.redirect(b, r.res)) {
      this.advance();
    } else {
      this.outcomes.push({ status, received: r, branch: b });
      if (status >= 600) {
        this.cancelOthers(b);
        this.forwardBest();
      } else {
        this.advance();
      }
    }
    this.checkFinished();
  }

  onLate2xx(_b: ProxyBranch, r: Received): void {
    this.relay2xx(r);
  }

  onQuiet(): void {
    this.checkFinished();
  }

  /** Engine shutdown: timers off, nothing more sent. */
  dispose(): void {
    if (this.current !== S.Terminated) this.transition(S.Terminated);
  }

  // ---- internals

  /** The one guarded transition, with what entering each state does (this machine has no timers of its own). */
  private transition(to: ProxyContextState): void {
    const from = this.current;
    if (!TRANSITIONS[from].includes(to)) throw new IllegalTransitionError('proxy context', from, to);
    this.current = to;
    switch (to) {
      case S.Forking:
        this.i.core.gauges.proxyContexts.inc();
        if (!this.i.cmd.fullResponse) this.sendDone();
        return;
      case S.Terminated:
        for (const b of this.branches) b.dispose();
        if (from !== S.Idle) this.i.core.gauges.proxyContexts.dec();
        this.i.onFinished(this);
        return;
      default:
        return;
    }
  }

  private newBranch(target: string): ProxyBranch {
    return new ProxyBranch(target, { ...this.i.setup, core: this.i.core }, this);
  }

  /** Serial: next waiting branch when none is active. Both: best response once nothing is left. */
  private advance(): void {
    if (this.current !== S.Forking) return;
    if (this.branches.some((b) => b.active)) return;
    const next = this.branches.find((b) => b.state === ProxyBranchState.Waiting);
    if (next) return next.start();
    this.forwardBest();
  }

  /** §16.5/§16.7 step 4: each Contact of a 3xx becomes a branch right after the redirected one. */
  private redirect(b: ProxyBranch, res: SipMessage): boolean {
    const known = new Set(this.branches.map((x) => x.target));
    const added: ProxyBranch[] = [];
    for (const c of res.getHeaderValues('Contact')) {
      const uri = parseNameAddr(c)?.uri;
      if (!uri || known.has(uri) || this.branches.length + added.length >= 16) continue;
      known.add(uri);
      added.push(this.newBranch(uri));
    }
    if (added.length === 0) return false;
    this.branches.splice(this.branches.indexOf(b) + 1, 0, ...added);
    if (this.i.cmd.simultaneous) for (const n of added) n.start();
    return true;
  }

  private cancelOthers(winner: ProxyBranch): void {
    for (const b of this.branches) if (b !== winner) b.cancel();
  }

  /** A received final response goes upstream, and the app hears of the finals. */
  private forward(r: Received): void {
    this.transition(S.Completed);
    const raw = this.i.tx.respond(withoutTopVia(r.res));
    if (raw) this.finalCdr(r.res.status, raw);
    this.sendFrames(r);
  }

  /** The final response that went upstream for an INVITE (§8): start as `proxy-uas`, else stop. */
  private finalCdr(status: number, raw: Buffer): void {
    if (!this.i.tx.isInvite) return;
    if (status < 300) cdrs.start(this.i.core, 'application', 'proxy-uas', raw);
    else cdrs.stop(this.i.core, 'application', status === 487 ? 'call-canceled' : 'call-rejected', raw);
  }

  /** §16.7 step 6: the best stored final response; a local 408 when there is none (every branch timed out, §16.8). */
  private forwardBest(): void {
    const idx = bestResponse(this.outcomes.map((o) => o.status));
    const best = idx >= 0 ? this.outcomes[idx] : undefined;
    if (best?.received) return this.forward(best.received);
    this.transition(S.Completed);
    const res = this.respondLocally(best?.status ?? 408);
    const hop = best?.branch.hop ?? this.i.tx.responseHop;
    const raw = serializeMessage(res);
    this.sendFrames({ res, raw, from: hop });
  }

  private respondLocally(status: number): SipMessage {
    const res = responseTo(this.i.tx.request, this.i.vias, status, undefined, generateTag());
    const raw = this.i.tx.respond(res);
    if (raw) this.finalCdr(status, raw);
    return res;
  }

  /** Further 2xx (other forks, retransmissions) go upstream statelessly (§16.7 step 5). */
  private relay2xx(r: Received): void {
    this.i.core.sender.send(this.i.tx.responseHop, serializeMessage(withoutTopVia(r.res)));
  }

  /** §7.3 (fullResponse only): one `continue` per final received, the forwarded one last, then `done`. */
  private sendFrames(last: Received | undefined): void {
    if (!this.i.cmd.fullResponse) return; // `done` went at the start
    for (const f of this.finals) if (f !== last) this.sendContinue(f);
    if (last) this.sendContinue(last);
    this.sendDone();
  }

  private sendContinue(r: Received): void {
    const meta = { source: 'network' as const, bytes: r.raw.length, protocol: r.from.transport, address: r.from.address, port: r.from.port, time: wireTime() };
    this.i.conn.send(proxyContinueFrame(this.i.rid, meta, r.raw.toString('utf8')));
  }

  private sendDone(): void {
    this.i.conn.send(proxyDoneFrame(this.i.rid));
  }

  /** Completed or Cancelled, and no branch has anything more to say: the context ends. */
  private checkFinished(): void {
    if (this.current !== S.Completed && this.current !== S.Cancelled) return;
    if (!this.branches.every((b) => b.quiet || b.state === ProxyBranchState.Waiting)) return;
    if (this.current === S.Cancelled) this.sendFrames(undefined);
    this.transition(S.Terminated);
  }
}
