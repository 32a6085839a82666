import { randomUUID } from 'node:crypto';
import { serializeMessage, type SipMessage } from '../../../sip/index.js';
import type { AppConnection } from '../../wire/app-connection.js';
import { failFrame, requestSentFrame, wireTime } from '../../wire/leader.js';
import { ClientState } from '../../transaction/client-transaction.js';
import { startClientTransaction } from '../client-transactions.js';
import { cancelFor } from '../message-factory.js';
import type { Core, OutgoingRequest } from '../contexts.js';

/** Headers an app may add to a CANCEL (§4.4). */
const SAFE = /^(reason|x-.*)$/i;

/** §4.4: the app cancels its own pending INVITE. */
export function handleAppCancel(core: Core, conn: AppConnection, rid: string, txnId: string, app: SipMessage): void {
  const ctx = core.pending.outgoing(txnId);
  if (!ctx || ctx.owner !== conn.id || !ctx.tx.isInvite) {
    conn.send(failFrame(rid, 'NOK', `unable to cancel unknown transaction id: ${txnId}`));
    return;
  }
  const cancel = buildCancel(ctx.tx.request, app);
  ctx.dialog?.noteCancelled();
  ctx.cancelRequested = { reason: cancel };
  if (ctx.tx.state === ClientState.Proceeding) sendCancelNow(core, ctx);
  else if (ctx.tx.state !== ClientState.Calling) ctx.cancelRequested = undefined; // final already received: moot
  const raw = serializeMessage(cancel);
  const meta = { source: 'application' as const, bytes: raw.length, protocol: ctx.tx.hop.transport, address: ctx.local.advertised, port: ctx.local.port, time: wireTime() };
  conn.send(requestSentFrame(rid, meta, randomUUID(), raw.toString('utf8')));
}

/** RFC 3261 §9.1: send the CANCEL once the INVITE has a provisional response. */
export function sendCancelNow(core: Core, ctx: OutgoingRequest): void {
  const pending = ctx.cancelRequested;
  if (!pending) return;
  ctx.cancelRequested = undefined;
  const branch = ctx.tx.branch;
  startClientTransaction(core, pending.reason, branch, ctx.tx.hop);
}

function buildCancel(invite: SipMessage, app: SipMessage): SipMessage {
  const c = cancelFor(invite);
  for (const h of app.headers) if (SAFE.test(h.name)) c.addHeader(h.name, h.value);
  return c;
}
