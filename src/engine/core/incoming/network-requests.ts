import { randomUUID } from 'node:crypto';
import { generateTag, type SipMessage, type Via, reasonPhrase } from '../../../sip/index.js';
import { cdrs } from '../cdrs.js';
import { ServerTransaction } from '../../transaction/server-transaction.js';
import { serverKey } from '../../transaction/keys.js';
import { parseRAck } from '../../transaction/reliable-provisionals.js';
import type { Inbound } from '../../transport/types.js';
import { sipFrame } from '../../wire/leader.js';
import { DialogState, endsSubscription } from '../../dialog/dialog.js';
import type { Core, IncomingRequest } from '../contexts.js';
import { deliverRequest, forgetIncoming, networkMeta, responseFor } from './delivery.js';
import { responseHop } from '../response-hop.js';
import { onPeerRefresh } from '../session-timers.js';
import { stampedVias, responseTo, uriOf } from '../message-factory.js';

/** Methods offered to apps as new requests (§2.6). */
const ROUTABLE = new Set(['INVITE', 'REGISTER', 'MESSAGE', 'OPTIONS', 'INFO', 'NOTIFY', 'SUBSCRIBE', 'PUBLISH']);
const KNOWN = new Set([...ROUTABLE, 'ACK', 'BYE', 'CANCEL', 'PRACK', 'UPDATE', 'REFER']);
const ALLOW = [...KNOWN].join(', ');

/** A validated request from the network: transaction matching, dialogs, CANCEL, then routing to an app. */
export function handleNetworkRequest(core: Core, req: SipMessage, raw: Buffer, inbound: Inbound, via: Via): void {
  const method = req.method;
  if (method === 'ACK') return handleAck(core, req, raw, inbound, via);
  if (req.toTag && core.proxy.relayLooseRouted(req, inbound)) return;
  const key = serverKey(req, via, method);
  const existing = core.transactions.server(key);
  if (existing) {
    existing.retransmission();
    return;
  }
  if (core.completedResponses.absorb(key)) return;
  const vias = stampedVias(req, via, inbound);
  const tx = newServerTransaction(core, key, req, raw, inbound, via);
  if (method === 'CANCEL') return handleCancel(core, req, via, tx, vias);
  if (method === 'INVITE') tx.respond(responseTo(req, vias, 100, reasonPhrase(100), undefined));

  const local = core.localPoint(inbound.remote.transport, inbound.local.address);
  if (!local) return reply(tx, req, vias, 500, 'No Local Transport');
  const toTag = req.toTag;
  if (toTag) {
    const dialog = core.dialogs.match(req.callId, toTag, req.fromTag ?? '');
    const owner = dialog && core.app(dialog.owner);
    if (!dialog || !owner) return reply(tx, req, vias, 481);
    // RFC 3261 §12.2.2: a CSeq lower than the remote sequence number is out of order and MUST get 500
    if (!dialog.acceptRemoteSeq(req.cseq.seq)) return reply(tx, req, vias, 500, 'Request Out Of Order');
    // RFC 3262 §3: a PRACK that matches no reliable provisional we sent is answered here
    if (method === 'PRACK' && !dialog.reliable?.prack(parseRAck(req.getHeader('RAck')))) return reply(tx, req, vias, 481);
    if (method === 'INVITE' || method === 'UPDATE') {
      const tooSmall = (minSE: number): void => reply(tx, req, vias, 422, undefined, 'Min-SE', String(minSE));
      if (!onPeerRefresh(core, dialog, req, tooSmall)) return;
      dialog.refreshTarget(uriOf(req.getHeader('Contact'))); // RFC 3261 §12.2.2
    }
    if (method === 'BYE') {
      core.dialogs.remove(dialog);
      cdrs.stop(core, 'network', 'normal-release', raw);
    } else if (method === 'NOTIFY' && dialog.subscription && endsSubscription(req.getHeader('Subscription-State'))) core.dialogs.remove(dialog);
    deliverRequest(core, owner, tx, raw, inbound, local, vias, dialog);
    return;
  }
  if (!ROUTABLE.has(method)) {
    if (KNOWN.has(method)) return reply(tx, req, vias, 481);
    return reply(tx, req, vias, 501, undefined, 'Allow', ALLOW);
  }
  if (core.transactions.isMerged(req, key)) return reply(tx, req, vias, 482);
  if (method === 'INVITE') cdrs.attempt(core, 'network', raw);
  const app = core.pickApp(method);
  if (!app) {
    core.log.info({ method, callId: req.callId, from: inbound.remote.address }, 'no application routed this method: 503');
    const raw503 = answer(tx, req, vias, 503);
    if (method === 'INVITE' && raw503) cdrs.stop(core, 'application', 'call-rejected', raw503);
    return;
  }
  deliverRequest(core, app, tx, raw, inbound, local, vias, undefined);
}

/** The engine's own answer to a request (one optional extra header). */
function reply(tx: ServerTransaction, req: SipMessage, vias: string[], status: number, reason?: string, header?: string, value?: string): void {
  answer(tx, req, vias, status, reason, header, value);
}

/** `reply`, giving the bytes sent (undefined when a final response had gone already). */
function answer(tx: ServerTransaction, req: SipMessage, vias: string[], status: number, reason?: string, header?: string, value?: string): Buffer | undefined {
  const res = responseTo(req, vias, status, reason, status > 100 ? (tx.toTag ??= generateTag()) : undefined);
  if (header !== undefined && value !== undefined) res.addHeader(header, value);
  return tx.respond(res);
}

function newServerTransaction(core: Core, key: string, req: SipMessage, raw: Buffer, inbound: Inbound, via: Via): ServerTransaction {
  const hop = responseHop(core, inbound, via.port, via.rport === null);
  const tx = new ServerTransaction(key, req, raw, hop, core.sender, core.timers, core.gauges.transactions, core.transactions.onServerDone, core.completedResponses);
  core.transactions.addServer(tx);
  return tx;
}

function handleAck(core: Core, req: SipMessage, raw: Buffer, inbound: Inbound, via: Via): void {
  const inviteTx = core.transactions.server(serverKey(req, via, 'INVITE'));
  if (inviteTx && inviteTx.lastResponse && inviteTx.lastResponse.status >= 300) {
    inviteTx.ack(); // ACK for a non-2xx final: absorbed by the transaction layer
    return;
  }
  const dialog = req.toTag ? core.dialogs.match(req.callId, req.toTag, req.fromTag ?? '') : undefined;
  if (!dialog) {
    core.proxy.relayLooseRouted(req, inbound);
    return;
  }
  dialog.takeAckWait(req.cseq.seq)?.ack();
  const owner = core.app(dialog.owner);
  owner?.send(sipFrame(networkMeta(raw, inbound), randomUUID(), dialog.id, raw.toString('utf8')));
}

function handleCancel(core: Core, req: SipMessage, via: Via, tx: ServerTransaction, vias: string[]): void {
  const inviteKey = serverKey(req, via, 'INVITE');
  const inviteTx = core.transactions.server(inviteKey);
  if (!inviteTx) return reply(tx, req, vias, 481);
  if (inviteTx.isFinal) return reply(tx, req, vias, inviteTx.lastResponse && inviteTx.lastResponse.status < 300 ? 481 : 200);
  tx.toTag = inviteTx.toTag;
  reply(tx, req, vias, 200);
  const ctx: IncomingRequest | undefined = core.pending.incomingFor(inviteKey);
  if (core.proxy.cancel(inviteKey)) return;
  if (!ctx) {
    inviteTx.respond(responseTo(inviteTx.request, inviteTx.request.getHeaderValues('Via'), 487, undefined, inviteTx.toTag));
    return;
  }
  inviteTx.respond(responseFor(ctx, 487));
  ctx.answeredByEngine = true;
  cdrs.stop(core, 'network', 'call-canceled', tx.raw);
  const app = core.app(ctx.owner);
  const dialogId = ctx.dialog?.id ?? '';
  if (ctx.dialog && ctx.dialog.state === DialogState.Early) core.dialogs.remove(ctx.dialog);
  forgetIncoming(core, ctx);
  app?.send(sipFrame(networkMeta(tx.raw, ctx.inbound), ctx.txnId, dialogId, tx.raw.toString('utf8')));
}
