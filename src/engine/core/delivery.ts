import { randomUUID } from 'node:crypto';
import { generateTag, type SipMessage } from '../sip/index.js';
import { responseTo } from './message-factory.js';
import type { Inbound } from '../transport/types.js';
import type { AppConnection } from '../wire/app-connection.js';
import { sipFrame, wireTime, type SipMeta } from '../wire/leader.js';
import type { Core, IncomingRequest } from './contexts.js';
import type { LocalPoint } from './local-point.js';
import type { Hop } from '../transaction/types.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { Dialog } from '../dialog/dialog.js';

export function networkMeta(raw: Buffer, inbound: Inbound): SipMeta {
  return { source: 'network', bytes: raw.length, protocol: inbound.remote.transport, address: inbound.remote.address, port: inbound.remote.port, time: wireTime() };
}

/** Hand a network request to an app (§3.1.1 / §3.1.2) and remember it until the app's final response. */
export function deliverRequest(
  core: Core,
  app: AppConnection,
  tx: ServerTransaction,
  raw: Buffer,
  inbound: Inbound,
  local: LocalPoint,
  vias: string[],
  dialog: Dialog | undefined,
): IncomingRequest {
  const txnId = randomUUID();
  const ctx: IncomingRequest = { txnId, tx, owner: app.id, dialog, answeredByEngine: false, appTimer: undefined, local, inbound, vias };
  core.incoming.set(txnId, ctx);
  core.incomingByKey.set(tx.key, ctx);
  core.gauges.pendingAppRequests.inc();
  ctx.appTimer = setTimeout(() => appDidNotAnswer(core, ctx), 64_000);
  const localTokens = dialog ? undefined : { address: inbound.local.address, port: inbound.local.port };
  app.send(sipFrame(networkMeta(raw, inbound), txnId, dialog?.id ?? '', raw.toString('utf8'), localTokens));
  return ctx;
}

/** The app is done with the request (final response sent or engine answered it). */
export function forgetIncoming(core: Core, ctx: IncomingRequest): void {
  if (!core.incoming.delete(ctx.txnId)) return;
  if (core.incomingByKey.get(ctx.tx.key) === ctx) core.incomingByKey.delete(ctx.tx.key);
  if (ctx.appTimer) clearTimeout(ctx.appTimer);
  ctx.appTimer = undefined;
  core.gauges.pendingAppRequests.dec();
}

function appDidNotAnswer(core: Core, ctx: IncomingRequest): void {
  ctx.appTimer = undefined;
  core.log.warn({ method: ctx.tx.request.method, callId: ctx.tx.request.callId }, 'application did not answer the request in time');
  answerForApp(core, ctx, ctx.tx.isInvite ? 480 : 408);
}

/** The engine answers on the app's behalf (app gone or silent). */
export function answerForApp(core: Core, ctx: IncomingRequest, status: number): void {
  if (!ctx.tx.isFinal) {
    const res = responseFor(ctx, status);
    ctx.tx.respond(res);
  }
  if (ctx.dialog && ctx.dialog.state === 'early' && ctx.dialog.role === 'uas') core.dialogs.remove(ctx.dialog);
  forgetIncoming(core, ctx);
}


export function responseFor(ctx: IncomingRequest, status: number, reason?: string): SipMessage {
  if (status > 100 && !ctx.tx.toTag && !ctx.tx.request.toTag) ctx.tx.toTag = generateTag();
  return responseTo(ctx.tx.request, ctx.vias, status, reason, ctx.tx.toTag);
}

/** RFC 3261 §18.2.2: where responses to a request go. */
export function responseHop(core: Core, inbound: Inbound, viaPort: number | undefined, rportAsked: boolean): Hop {
  if (inbound.remote.transport !== 'udp') return core.hopFor(inbound.remote, inbound.connectionId);
  return { transport: 'udp', address: inbound.remote.address, port: rportAsked ? inbound.remote.port : viaPort ?? 5060 };
}
