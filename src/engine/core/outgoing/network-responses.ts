import { serializeMessage, type SipMessage } from '../../../sip/index.js';
import type { ClientTransactionUser } from '../../transaction/types.js';
import type { Peer } from '../../transport/types.js';
import { sipFrame, wireTime } from '../../wire/leader.js';
import type { Core, OutgoingRequest } from '../contexts.js';
import { endsSubscription, type Dialog } from '../../dialog/dialog.js';
import { sendCancelNow } from './app-cancel.js';
import { responseTo, uriOf } from '../message-factory.js';
import { finishOrphanInvite } from './orphans.js';
import { armFromUac2xx } from '../session-timers.js';
import { cdrs } from '../cdrs.js';

/** Responses to a request an app sent: dialog bookkeeping (§6.2, §6.4.2) and delivery (§3.1.3). */
export class NetworkResponses implements ClientTransactionUser {
  private got2xx = false;
  /** RFC 3262 §4: the last in-order RSeq per early dialog (To-tag) */
  private readonly lastRSeq = new Map<string, number>();

  constructor(
    private readonly core: Core,
    private readonly ctx: OutgoingRequest,
  ) {}

  onResponse(res: SipMessage, raw: Buffer, from: Peer): void {
    const { ctx, core } = this;
    const status = res.status;
    if (status === 100) return;
    if (status < 200 && !this.inOrderReliable(res)) return;
    if (ctx.cancelRequested && status < 200) sendCancelNow(core, ctx);
    const d = ctx.dialog;
    const isInvite = ctx.tx.isInvite;
    if (d && ctx.createsDialog) {
      const toTag = res.toTag;
      if (status >= 300) {
        d.inviteAnswered(status);
        core.dialogs.remove(d);
        if (isInvite) cdrs.stop(core, 'network', status === 487 ? 'call-canceled' : 'call-rejected', raw);
      } else if (toTag) {
        if (status >= 200 && this.got2xx) {
          // retransmitted 2xx: re-send our ACK if the app already sent it (§6.4.2)
          const ack = d.storedAck;
          if (ack) core.sender.send(ack.hop, ack.raw);
          return;
        }
        this.establish(res, from, toTag, status);
        if (isInvite && status >= 200) cdrs.start(core, 'network', 'uac', raw);
      }
    } else if (d && status >= 200 && status !== 401 && status !== 407) {
      if (ctx.tx.request.method === 'BYE') core.dialogs.remove(d);
      else if (d.subscription && ctx.tx.request.method === 'NOTIFY' && endsSubscription(ctx.tx.request.getHeader('Subscription-State'))) core.dialogs.remove(d);
      if (isInvite) d.inviteAnswered(status);
      if (isInvite && status === 200) armFromUac2xx(core, d, res);
    }
    const owner = core.app(ctx.owner);
    if (!owner) {
      if (isInvite && status >= 200 && status < 300 && d) finishOrphanInvite(core, d);
      return;
    }
    const meta = { source: 'network' as const, bytes: raw.length, protocol: from.transport, address: from.address, port: from.port, time: wireTime() };
    owner.send(sipFrame(meta, ctx.txnId, d?.id ?? '', raw.toString('utf8')));
  }

  onFailure(kind: 'timeout' | 'transport', reason: string): void {
    const status = kind === 'timeout' ? 408 : 503;
    const req = this.ctx.tx.request;
    const res = synthesized(req, status);
    const raw = serializeMessage(res);
    const hop = this.ctx.tx.hop;
    this.core.log.info({ method: req.method, callId: req.callId, to: `${hop.address}:${hop.port}`, reason }, `request failed locally: ${status}`);
    this.onResponse(res, raw, hop);
  }

  onTerminated(): void {
    this.core.pending.removeOutgoing(this.ctx);
  }

  /**
   * A retransmitted or out-of-order reliable provisional is discarded, not delivered: srf PRACKs
   * every provisional carrying RSeq it receives, and the RFC forbids PRACKing these.
   */
  private inOrderReliable(res: SipMessage): boolean {
    const rseq = Number.parseInt(res.getHeader('RSeq') ?? '', 10);
    if (!Number.isFinite(rseq)) return true;
    const tag = res.toTag ?? '';
    const last = this.lastRSeq.get(tag);
    if (last !== undefined && rseq !== last + 1) return false;
    this.lastRSeq.set(tag, rseq);
    return true;
  }

  private establish(res: SipMessage, from: Peer, toTag: string, status: number): void {
    const { core, ctx } = this;
    const d = ctx.dialog!;
    core.dialogs.setRemoteTag(d, toTag);
    d.learnFromResponse({
      remoteParty: res.getHeader('To'),
      remoteTarget: uriOf(res.getHeader('Contact')),
      fallbackTarget: status >= 200 ? ctx.tx.request.uri : undefined, // §6.4.6
      recordRoute: res.getHeaderValues('Record-Route'),
      // reach the peer where its response came from, on the same connection (NAT, §5.3)
      peer: { ...from, connectionId: ctx.tx.hop.connectionId },
    });
    if (core.dialogs.get(d.id) !== d) core.dialogs.add(d);
    if (status >= 200) {
      d.confirm();
      d.inviteAnswered(status);
      this.got2xx = true;
      if (ctx.tx.isInvite) guardAppAckFor(core, d);
      if (ctx.tx.isInvite && status === 200) armFromUac2xx(core, d, res);
    }
  }
}

/**
 * An app that never acknowledges a 2xx (srf drops responses it no longer tracks, e.g. under
 * overload) would leave the callee's dialog open forever: acknowledge it and hang up ourselves.
 */
function guardAppAckFor(core: Core, d: Dialog): void {
  d.guardAppAck(64 * core.timers.t1, () => {
    if (d.storedAck || core.dialogs.get(d.id) !== d) return;
    core.log.warn({ dialog: d.id }, 'application never acknowledged the 2xx: ending the call');
    finishOrphanInvite(core, d);
  });
}

function synthesized(req: SipMessage, status: number): SipMessage {
  return responseTo(req, req.getHeaderValues('Via').slice(0, 1), status, undefined, undefined);
}
