import type { Dialog } from '../dialog/dialog.js';
import { MIN_SE, parseSessionExpires, SessionTimer, type Refresher } from '../dialog/session-timer.js';
import { serializeMessage, type SipMessage } from '../../sip/index.js';
import type { ClientTransactionUser } from '../transaction/types.js';
import { startClientTransaction as startClientTransaction } from './client-transactions.js';
import type { Core } from './contexts.js';
import { inDialogHop } from './dialog-hop.js';
import { SESSION_EXPIRED, sendEngineBye } from './engine-bye.js';
import { inDialogRequest, uriOf } from './message-factory.js';

// RFC 4028 as drachtio-server applies it (SipDialogController / SipDialog::setSessionTimer).

export function armSessionTimer(core: Core, d: Dialog, secs: number, who: Refresher): void {
  const timer = d.sessionTimerOrNew(
    () =>
      new SessionTimer(
        {
          refresh: (s) => sendRefresh(core, d, s),
          expire: () => {
            if (core.dialogs.get(d.id) !== d) return;
            core.log.info({ dialog: d.id, secs }, 'session expired without a refresh: ending the dialog');
            sendEngineBye(core, d, SESSION_EXPIRED);
          },
        },
        core.sessionTimers.clock,
      ),
  );
  core.log.debug({ dialog: d.id, secs, refresher: who }, 'session timer set');
  timer.start(secs, who);
}

/** The SDP a refreshing re-INVITE repeats: the latest body we sent in an INVITE or its 2xx. */
export function rememberLocalBody(d: Dialog, msg: SipMessage): void {
  if (msg.body.length === 0) return;
  d.rememberLocalBody({ contentType: msg.getHeader('Content-Type') ?? 'application/sdp', body: msg.body });
}

/**
 * UAS, the app's 200 to the initial INVITE (doRespondToSipRequest): a Session-Expires the app set
 * wins; otherwise the caller's offer is echoed with its refresher, or the configured default one.
 * The interval never goes below 90 s. Returns the timer to arm once the 200 is out.
 */
export function negotiateUas(core: Core, invite: SipMessage, res: SipMessage): { secs: number; who: Refresher } | undefined {
  const own = parseSessionExpires(res.getHeader('Session-Expires'));
  if (own) return { secs: Math.max(MIN_SE, own.delta), who: own.refresher === 'uas' ? 'us' : 'them' };
  const offer = parseSessionExpires(invite.getHeader('Session-Expires'));
  if (!offer) return undefined;
  const refresher = offer.refresher ?? core.sessionTimers.defaultRefresher;
  if (refresher === 'none') return undefined;
  const secs = Math.max(MIN_SE, offer.delta);
  res.addHeader('Session-Expires', `${secs};refresher=${refresher}`);
  return { secs, who: refresher === 'uac' ? 'them' : 'us' };
}

/** UAC, a 200 to an INVITE we sent (initial, re-INVITE or refresh): no refresher or uac means us. */
export function armFromUac2xx(core: Core, d: Dialog, res: SipMessage): void {
  const se = parseSessionExpires(res.getHeader('Session-Expires'));
  if (se) armSessionTimer(core, d, se.delta, se.refresher === 'uas' ? 'them' : 'us');
}

/**
 * A re-INVITE or UPDATE from the peer (processRequestInsideDialog): the running timer stops; an
 * interval under Min-SE gets 422; otherwise the request's Session-Expires re-arms it. Returns
 * false when the request was answered here.
 */
export function onPeerRefresh(core: Core, d: Dialog, req: SipMessage, reject422: (minSE: number) => void): boolean {
  const weRefreshed = d.sessionTimer?.weRefresh ?? false;
  d.sessionTimer?.stop();
  const se = parseSessionExpires(req.getHeader('Session-Expires'));
  if (!se) return true;
  if (se.delta < MIN_SE) {
    reject422(MIN_SE);
    return false;
  }
  // drachtio's rule verbatim: refresher=uac (the sender) or absent while we had been refreshing → they refresh
  const them = se.refresher === 'uac' || (!se.refresher && weRefreshed);
  armSessionTimer(core, d, se.delta, them ? 'them' : 'us');
  return true;
}

/** notifyRefreshDialog: a re-INVITE with our last SDP; the app is not told. */
function sendRefresh(core: Core, d: Dialog, secs: number): void {
  if (core.dialogs.get(d.id) !== d) return;
  const target = d.remoteTarget ?? `sip:${d.peer.address}:${d.peer.port}`;
  const req = inDialogRequest(d, 'INVITE', target, d.nextLocalSeq(), d.local);
  req.addHeader('Session-Expires', `${secs};refresher=uac`);
  req.addHeader('Min-SE', String(MIN_SE));
  if (d.localContact) req.addHeader('Contact', d.localContact);
  if (d.localBody) {
    req.addHeader('Content-Type', d.localBody.contentType);
    req.body = d.localBody.body;
  }
  const branch = req.topVia()?.branch ?? '';
  inDialogHop(core, d)
    .then((hop) => {
      core.log.info({ dialog: d.id, secs }, 'sending a refreshing re-INVITE');
      startClientTransaction(core, req, branch, hop, refreshUser(core, d, req, secs));
    })
    .catch((err: Error) => {
      core.log.warn({ dialog: d.id, err: err.message }, 'could not send the refreshing re-INVITE');
      sendEngineBye(core, d, SESSION_EXPIRED);
    });
}

/** processResponseToRefreshingReinvite: 200 → ACK and re-arm; 491 (glare) → retry next interval; anything else ends the dialog. */
function refreshUser(core: Core, d: Dialog, invite: SipMessage, secs: number): ClientTransactionUser {
  let done = false;
  return {
    onResponse(res) {
      if (res.status < 200) return;
      if (core.dialogs.get(d.id) !== d) return;
      if (res.status < 300) {
        const target = uriOf(res.getHeader('Contact')) ?? d.remoteTarget ?? invite.uri;
        const ack = inDialogRequest(d, 'ACK', target, invite.cseq.seq, d.local);
        if (res.toTag) ack.setHeader('To', res.getHeader('To') ?? d.remoteParty);
        inDialogHop(core, d)
          .then((hop) => core.sender.send(hop, serializeMessage(ack)))
          .catch(() => undefined);
        if (done) return; // retransmitted 2xx: ACK again only
        done = true;
        armFromUac2xx(core, d, res);
        return;
      }
      if (done) return;
      done = true;
      if (res.status === 491) armSessionTimer(core, d, secs, 'us');
      else {
        core.log.info({ dialog: d.id, status: res.status }, 'refreshing re-INVITE failed: ending the dialog');
        sendEngineBye(core, d, SESSION_EXPIRED);
      }
    },
    onFailure(_kind, reason) {
      if (done || core.dialogs.get(d.id) !== d) return;
      done = true;
      core.log.info({ dialog: d.id, reason }, 'refreshing re-INVITE failed: ending the dialog');
      sendEngineBye(core, d, SESSION_EXPIRED);
    },
    onTerminated() {},
  };
}
