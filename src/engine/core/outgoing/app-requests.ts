import { ERRORS, errorMessage } from '../../../lib/errors.js';
import { randomUUID } from 'node:crypto';
import { generateBranch, generateCallId, generateTag, getParam, parseUri, SipMessage } from '../../../sip/index.js';
import { Dialog, dialogIdOf } from '../../dialog/dialog.js';
import type { Hop } from '../../transaction/types.js';
import type { AppConnection } from '../../wire/app-connection.js';
import { failFrame, requestSentFrame, wireTime } from '../../wire/leader.js';
import { rememberLocalBody } from '../session-timers.js';
import { contentTypeFor, passThroughHeaders, substituteLocalhost } from '../app-headers.js';
import { createClientTransaction } from '../client-transactions.js';
import type { Core, OutgoingRequest } from '../contexts.js';
import { hopForUri, inDialogHop } from '../dialog-hop.js';
import { inDialogRequest } from '../message-factory.js';
import { contactOf, hostPort, ourContact, type LocalPoint } from '../local-point.js';
import { NetworkResponses } from './network-responses.js';
import { cdrs } from '../cdrs.js';

const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE']);

/** An app's command the engine cannot carry out; answered to the app with NOK and this message. */
export class AppCommandError extends Error {
  readonly code = ERRORS.ENGINE_APP_COMMAND_REJECTED.code;

  constructor(problem: string) {
    super(errorMessage('ENGINE_APP_COMMAND_REJECTED', { problem }));
    this.name = 'AppCommandError';
  }
}

/** §5.2: a new out-of-dialog request from the app. */
export async function sendNewRequest(core: Core, conn: AppConnection, rid: string, app: SipMessage, routeUrl: string | undefined): Promise<void> {
  const ruri = parseUri(app.uri);
  if (!ruri) throw new AppCommandError(`invalid request-uri: ${app.uri}`);
  const next = routeUrl ? parseUri(routeUrl.startsWith('sip') ? routeUrl : `sip:${routeUrl}`) : ruri;
  if (!next) throw new AppCommandError(`invalid route url: ${routeUrl}`);
  const hop = await hopForUri(core, next);
  const local = core.localPoint(hop.transport);
  if (!local) throw new AppCommandError('requested protocol/transport not available');
  if (core.isLocal(hop.address, hop.port)) throw new AppCommandError('can not send request to myself');

  const method = app.method;
  const req = new SipMessage();
  req.method = method;
  req.uri = app.uri;
  const branch = generateBranch();
  req.addHeader('Via', `SIP/2.0/${local.transport.toUpperCase()} ${hostPort(local)};branch=${branch};rport`);
  req.addHeader('Max-Forwards', app.getHeader('Max-Forwards') ?? '70');
  let from = app.getHeader('From');
  from = from ? substituteLocalhost('From', from, local, true) : `<sip:${hostPort(local)}>`;
  if (!getParam(from, 'tag')) from = `${from};tag=${generateTag()}`;
  req.addHeader('From', from);
  const to = app.getHeader('To');
  req.addHeader('To', to ? substituteLocalhost('To', to, local) : `<${app.uri}>`);
  const callId = app.getHeader('Call-ID') ?? generateCallId();
  req.addHeader('Call-ID', callId);
  const appSeq = Number.parseInt(app.getHeader('CSeq') ?? '', 10);
  const seq = Number.isFinite(appSeq) && appSeq >= 0 ? appSeq : Math.floor(Math.random() * 10_000) + 1;
  req.addHeader('CSeq', `${seq} ${method}`);
  const contact = app.getHeader('Contact');
  const sips = ruri.scheme === 'sips';
  if (contact) req.addHeader('Contact', ourContact(contact, local, sips));
  else if (DIALOG_CREATING.has(method)) req.addHeader('Contact', contactOf(local, undefined, sips));
  addAppHeadersAndBody(req, app, local);

  let dialog: Dialog | undefined;
  if (DIALOG_CREATING.has(method)) {
    const localTag = getParam(from, 'tag') ?? '';
    dialog = new Dialog(dialogIdOf(callId, localTag), callId, localTag, 'uac', conn.id, hop, local, from, req.getHeader('To') ?? '');
    dialog.sentCreatingRequest(method, seq, req.getHeader('Contact') ?? '');
    if (method === 'INVITE') rememberLocalBody(dialog, req);
  }
  send(core, conn, rid, req, branch, hop, local, dialog, !!dialog);
}

/** §5.3: a request inside a dialog (BYE, re-INVITE, INFO, ..., PRACK). */
export async function sendInDialogRequest(core: Core, conn: AppConnection, rid: string, dialog: Dialog, app: SipMessage): Promise<void> {
  const method = app.method;
  const uri = app.uri.includes('placeholder') ? dialog.remoteTarget : app.uri;
  if (!uri) throw new AppCommandError('no remote target known for this dialog');
  const hop = await inDialogHop(core, dialog);
  const seq = dialog.nextLocalSeq();
  const req = inDialogRequest(dialog, method, uri, seq, dialog.local);
  if (method === 'INVITE') dialog.inviteSent(seq);
  const contact = app.getHeader('Contact');
  if (contact) req.addHeader('Contact', substituteLocalhost('Contact', contact, dialog.local));
  else if (method === 'INVITE' || method === 'SUBSCRIBE' || method === 'REFER') req.addHeader('Contact', dialog.localContact || contactOf(dialog.local));
  addAppHeadersAndBody(req, app, dialog.local);
  if (method === 'INVITE') rememberLocalBody(dialog, req);
  const branch = req.topVia()?.branch ?? generateBranch();
  send(core, conn, rid, req, branch, hop, dialog.local, dialog, false);
}

function addAppHeadersAndBody(req: SipMessage, app: SipMessage, local: LocalPoint): void {
  for (const h of passThroughHeaders(app)) req.addHeader(h.name, substituteLocalhost(h.name, h.value, local));
  const ct = contentTypeFor(app, app.body);
  if (ct.missing) throw new AppCommandError('missing content-type');
  if (ct.value) req.addHeader('Content-Type', ct.value);
  req.body = app.body;
}

function send(core: Core, conn: AppConnection, rid: string, req: SipMessage, branch: string, hop: Hop, local: LocalPoint, dialog: Dialog | undefined, createsDialog: boolean): void {
  const txnId = randomUUID();
  const tx = createClientTransaction(core, req, branch, hop);
  const ctx: OutgoingRequest = { txnId, tx, owner: conn.id, dialog, createsDialog, cancelRequested: undefined, local };
  core.pending.addOutgoing(ctx);
  // the echo must precede any response frame of this transaction (§3.1.3); responses arrive on later ticks
  tx.start(new NetworkResponses(core, ctx));
  const raw = tx.wireBytes;
  const meta = { source: 'application' as const, bytes: raw.length, protocol: hop.transport, address: local.advertised, port: local.port, time: wireTime() };
  conn.send(requestSentFrame(rid, meta, txnId, raw.toString('utf8')));
  if (req.method === 'INVITE' && createsDialog) cdrs.attempt(core, 'application', raw);
  else if (req.method === 'BYE') cdrs.stop(core, 'application', 'normal-release', raw);
}

export function failCommand(conn: AppConnection, rid: string, err: unknown): void {
  const reason = err instanceof AppCommandError ? err.message : `Server error: ${(err as Error).message}`;
  conn.send(failFrame(rid, 'NOK', reason));
}
