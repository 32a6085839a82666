import { randomUUID } from 'node:crypto';
import { generateTag, serializeMessage, type SipMessage } from '../../../sip/index.js';
import { cancelFor, responseTo } from '../message-factory.js';
import type { Inbound } from '../../transport/types.js';
import type { AppConnection } from '../../wire/app-connection.js';
import { sipFrame, wireTime, type SipMeta } from '../../wire/leader.js';
import type { Core, IncomingRequest } from '../contexts.js';
import type { LocalPoint } from '../local-point.js';
import type { ServerTransaction } from '../../transaction/server-transaction.js';
import { DialogState, type Dialog } from '../../dialog/dialog.js';

export function networkMeta(raw: Buffer, inbound: Inbound): SipMeta {
  return { source: 'network', bytes: raw.length, protocol: inbound.remote.transport, address: inbound.remote.address, port: inbound.remote.port, time: wireTime() };
}

/** Hand a network request to an app (§3.1.1 / §3.1.2) and remember it until the app's final response. */
export function deliverRequest(core: Core, app: AppConnection, tx: ServerTransaction, raw: Buffer, inbound: Inbound, local: LocalPoint, vias: string[], dialog: Dialog | undefined): IncomingRequest {
  const txnId = randomUUID();
  const ctx: IncomingRequest = { txnId, tx, owner: app.id, dialog, answeredByEngine: false, appTimer: undefined, local, inbound, vias };
  core.pending.addIncoming(ctx);
  ctx.appTimer = setTimeout(() => appDidNotAnswer(core, ctx), core.appAnswerTimeoutMs);
  const localTokens = dialog ? undefined : { address: inbound.local.address, port: inbound.local.port };
  app.send(sipFrame(networkMeta(raw, inbound), txnId, dialog?.id ?? '', raw.toString('utf8'), localTokens));
  return ctx;
}

/** The app has sent a response: from now on it decides how long the request lasts (as drachtio-server). */
export function appResponded(ctx: IncomingRequest): void {
  if (ctx.appTimer) clearTimeout(ctx.appTimer);
  ctx.appTimer = undefined;
}

/** The app is done with the request (final response sent or engine answered it). */
export function forgetIncoming(core: Core, ctx: IncomingRequest): void {
  if (!core.pending.takeIncoming(ctx)) return;
  appResponded(ctx);
}

/**
 * drachtio-server silently forgets such a request (the caller hangs until its own timeout); we
 * answer it instead, and hand the app a CANCEL for an INVITE so that srf emits `cancel` and the
 * app ends whatever it started for the call (its legs to callees).
 */
function appDidNotAnswer(core: Core, ctx: IncomingRequest): void {
  ctx.appTimer = undefined;
  const req = ctx.tx.request;
  const status = ctx.tx.isInvite ? 480 : 408;
  core.log.warn({ method: req.method, callId: req.callId, status, afterMs: core.appAnswerTimeoutMs }, 'application did not answer the request in time; answered for it');
  answerForApp(core, ctx, status);
  if (ctx.tx.isInvite) tellAppInviteEnded(core, ctx, status, 'application did not answer');
}

/** srf emits `cancel` for an INVITE the engine ended on its own, so the app ends what it started for it. */
export function tellAppInviteEnded(core: Core, ctx: IncomingRequest, status: number, text: string): void {
  const app = core.app(ctx.owner);
  if (!app) return;
  const cancel = cancelFor(ctx.tx.request);
  cancel.addHeader('Reason', `SIP ;cause=${status} ;text="${text}"`);
  cancel.addHeader('Content-Length', '0');
  const raw = serializeMessage(cancel);
  app.send(sipFrame(networkMeta(raw, ctx.inbound), ctx.txnId, ctx.dialog?.id ?? '', raw.toString('utf8')));
}

/** The engine answers on the app's behalf (app gone or silent). */
export function answerForApp(core: Core, ctx: IncomingRequest, status: number): void {
  if (!ctx.tx.isFinal) {
    const res = responseFor(ctx, status);
    ctx.tx.respond(res);
  }
  if (ctx.dialog && ctx.dialog.state === DialogState.Early && ctx.dialog.role === 'uas') core.dialogs.remove(ctx.dialog);
  forgetIncoming(core, ctx);
}

export function responseFor(ctx: IncomingRequest, status: number, reason?: string): SipMessage {
  if (status > 100 && !ctx.tx.toTag && !ctx.tx.request.toTag) ctx.tx.toTag = generateTag();
  return responseTo(ctx.tx.request, ctx.vias, status, reason, ctx.tx.toTag);
}
