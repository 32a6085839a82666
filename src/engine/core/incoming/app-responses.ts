import { generateTag, getParam, serializeMessage, type SipMessage } from '../../../sip/index.js';
import { ReliableProvisionals } from '../../transaction/reliable-provisionals.js';
import { Dialog, DialogState, dialogIdOf } from '../../dialog/dialog.js';
import type { AppConnection } from '../../wire/app-connection.js';
import { failFrame, responseSentFrame, wireTime } from '../../wire/leader.js';
import { contentTypeFor, passThroughHeaders, substituteLocalhost } from '../app-headers.js';
import type { Core, IncomingRequest } from '../contexts.js';
import { appResponded, forgetIncoming, responseFor, tellAppInviteEnded } from './delivery.js';
import { contactOf, ourContact } from '../local-point.js';
import { uriOf } from '../message-factory.js';
import { sendEngineBye } from '../engine-bye.js';
import { cdrs } from '../cdrs.js';
import { armSessionTimer, negotiateUas, rememberLocalBody } from '../session-timers.js';

/** Methods whose 101–299 responses do not get the request's Record-Route (sofia behaviour, §5.4). */
const NO_RECORD_ROUTE = new Set(['ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'INFO', 'PRACK', 'PUBLISH']);
const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE']);

/** The app answers a request the engine delivered (§4.5, §5.4). */
export function handleAppResponse(core: Core, conn: AppConnection, rid: string, txnId: string, app: SipMessage): void {
  const ctx = txnId ? core.pending.incoming(txnId) : undefined;
  if (!ctx || ctx.owner !== conn.id || ctx.answeredByEngine || ctx.tx.isFinal) {
    conn.send(failFrame(rid, 'NOK', 'Response not sent due to unknown transaction'));
    return;
  }
  const req = ctx.tx.request;
  const status = app.status;
  if (status < 100 || status > 699) {
    conn.send(failFrame(rid, 'NOK', `invalid status code ${status}`));
    return;
  }
  const creating = DIALOG_CREATING.has(req.method) && !req.toTag;
  const reliable = creating && req.method === 'INVITE' && status > 100 && status < 200 && has100rel(app.getHeaderValues('Require'));
  if (reliable && !has100rel([...req.getHeaderValues('Supported'), ...req.getHeaderValues('Require')])) {
    conn.send(failFrame(rid, 'NOK', 'Remote endpoint does not support 100rel'));
    return;
  }
  if (status > 100 && !ctx.tx.toTag && !req.toTag) {
    const appTag = getParam(app.getHeader('To') ?? '', 'tag');
    ctx.tx.toTag = appTag ?? generateTag();
  }
  const res = responseFor(ctx, status, app.reason);
  if (status > 100 && status < 300 && !NO_RECORD_ROUTE.has(req.method)) {
    for (const rr of req.getHeaderValues('Record-Route')) res.addHeader('Record-Route', rr);
  }
  const appContacts = app.getHeaderValues('Contact');
  const sips = /^sips:/i.test(req.uri);
  if (appContacts.length > 0) {
    // a registrar's 200 lists every binding: keep them all
    for (const c of appContacts) res.addHeader('Contact', ourContact(c, ctx.local, sips));
  } else if (DIALOG_CREATING.has(req.method) && (req.toTag || reliable || (status >= 200 && status < 300))) res.addHeader('Contact', contactOf(ctx.local, undefined, sips));
  for (const h of passThroughHeaders(app)) res.addHeader(h.name, substituteLocalhost(h.name, h.value, ctx.local));
  const ct = contentTypeFor(app, app.body);
  if (ct.value) res.addHeader('Content-Type', ct.value);
  res.body = app.body;
  const sessionTimer = creating && req.method === 'INVITE' && status === 200 ? negotiateUas(core, req, res) : undefined;

  const dialog = creating && status > 100 ? uasDialog(core, ctx, res, conn) : ctx.dialog;
  const raw = reliable && dialog ? sendReliably(core, ctx, dialog, res) : ctx.tx.respond(res);
  if (status >= 200) dialog?.finishReliable();
  if (!raw) {
    conn.send(failFrame(rid, 'NOK', 'Response not sent due to unknown transaction'));
    return;
  }
  appResponded(ctx);
  if (dialog && ctx.tx.isInvite && status >= 200 && status < 300) rememberLocalBody(dialog, res);
  if (creating && dialog) {
    if (status >= 300) core.dialogs.remove(dialog);
    else if (status >= 200) {
      confirmUasDialog(core, ctx, dialog, res);
      if (sessionTimer) armSessionTimer(core, dialog, sessionTimer.secs, sessionTimer.who);
    }
  } else if (ctx.dialog && ctx.tx.isInvite && status >= 200 && status < 300) {
    ctx.dialog.awaitAck(ctx.tx); // re-INVITE: the ACK reaches the app through the dialog
  }
  const hop = ctx.tx.responseHop;
  const meta = { source: 'application' as const, bytes: raw.length, protocol: hop.transport, address: ctx.local.advertised, port: ctx.local.port, time: wireTime() };
  const dialogId = creating || ctx.dialog ? (dialog?.id ?? dialogIdOf(req.callId, req.fromTag ?? '')) : '';
  conn.send(responseSentFrame(rid, meta, ctx.txnId, dialogId, raw.toString('utf8')));
  if (creating && req.method === 'INVITE' && status >= 200) {
    if (status < 300) cdrs.start(core, 'application', 'uas', raw);
    else cdrs.stop(core, 'application', 'call-rejected', raw);
  }
  if (status >= 200) forgetIncoming(core, ctx);
}

const has100rel = (values: string[]): boolean => values.some((v) => v.split(',').some((t) => t.trim().toLowerCase() === '100rel'));

/** §6.3.4: RSeq stamped, retransmitted until the PRACK; the echo shows what goes (or will go, once queued) on the wire. */
function sendReliably(core: Core, ctx: IncomingRequest, d: Dialog, res: SipMessage): Buffer | undefined {
  const reliable = d.reliableOrNew(
    () =>
      new ReliableProvisionals(ctx.tx.request.cseq.seq, ctx.tx.responseHop.transport === 'udp', core.timers, {
        send: (r) => ctx.tx.respond(r),
        resend: (raw) => (ctx.tx.isFinal ? d.finishReliable() : core.sender.send(ctx.tx.responseHop, raw)),
        onPrackTimeout: () => {
          if (ctx.tx.isFinal) return;
          core.log.warn({ callId: ctx.tx.request.callId }, 'reliable provisional never PRACKed: rejecting the INVITE');
          ctx.tx.respond(responseFor(ctx, 503, 'Reliable Response Time-Out'));
          tellAppInviteEnded(core, ctx, 503, 'PRACK timeout');
          if (d.state === DialogState.Early) core.dialogs.remove(d);
          forgetIncoming(core, ctx);
        },
      }),
  );
  if (reliable.send(res) === undefined) return undefined;
  return serializeMessage(res);
}

/** Early UAS dialog on the first response > 100 to an INVITE/SUBSCRIBE (§6.2). */
function uasDialog(core: Core, ctx: IncomingRequest, res: SipMessage, conn: AppConnection): Dialog {
  if (ctx.dialog) return ctx.dialog;
  const req = ctx.tx.request;
  const d = new Dialog(
    dialogIdOf(req.callId, req.fromTag ?? ''),
    req.callId,
    ctx.tx.toTag ?? '',
    'uas',
    conn.id,
    ctx.tx.responseHop,
    ctx.local,
    res.getHeader('To') ?? '',
    req.getHeader('From') ?? '',
  );
  d.receivedCreatingRequest({
    method: req.method,
    seq: req.cseq.seq,
    remoteTag: req.fromTag ?? '',
    remoteTarget: uriOf(req.getHeader('Contact')),
    routeSet: req.getHeaderValues('Record-Route'),
  });
  core.dialogs.add(d);
  ctx.dialog = d;
  return d;
}

function confirmUasDialog(core: Core, ctx: IncomingRequest, d: Dialog, res: SipMessage): void {
  d.confirm();
  d.useLocalContact(res.getHeader('Contact'));
  if (ctx.tx.isInvite) {
    d.awaitAck(ctx.tx);
    ctx.tx.events.onAckTimeout = () => {
      d.stopAwaitingAck();
      if (core.dialogs.get(d.id) !== d) return;
      core.log.warn({ dialog: d.id }, '2xx never acknowledged: ending the dialog');
      sendEngineBye(core, d, 'ACK timeout');
    };
  }
}
