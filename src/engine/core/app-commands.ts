import type { AppConnection } from '../wire/app-connection.js';
import { failFrame, type AppFrame } from '../wire/leader.js';
import { handleAppAck } from './outgoing/app-ack.js';
import { handleAppCancel } from './outgoing/app-cancel.js';
import { parseAppMessage } from './app-message.js';
import { failCommand, sendInDialogRequest, sendNewRequest } from './outgoing/app-requests.js';
import { handleAppResponse } from './incoming/app-responses.js';
import type { Core } from './contexts.js';

/** §4.1: what the app wants, decided strictly in the C++ order. */
export function handleSipCommand(core: Core, conn: AppConnection, f: AppFrame): void {
  const [txnId = '', dialogId = '', routeUrl] = f.args;
  const rid = f.msgId;
  const app = parseAppMessage(f.sip, core.maxMessageSize);
  if (typeof app === 'string') {
    conn.send(failFrame(rid, 'NOK', `invalid SIP message: ${app}`));
    return;
  }
  if (!app.isRequest) return handleAppResponse(core, conn, rid, txnId, app);
  const run = (p: Promise<void>): void => void p.catch((err: unknown) => failCommand(conn, rid, err));
  if (dialogId) {
    const dialog = core.dialogs.get(dialogId);
    if (app.method === 'ACK') return run(handleAppAck(core, conn, rid, dialog, app));
    if (!dialog) {
      conn.send(failFrame(rid, 'NOK', 'Server error: unable to find dialog for dialog id provided'));
      return;
    }
    return run(sendInDialogRequest(core, conn, rid, dialog, app));
  }
  if (txnId) {
    if (app.method === 'CANCEL') return handleAppCancel(core, conn, rid, txnId, app);
    conn.send(failFrame(rid, 'NOK', `a transaction id is only valid with CANCEL, not ${app.method}`));
    return;
  }
  if (app.method === 'ACK') {
    conn.send(failFrame(rid, 'NOK', 'ACK outside a dialog'));
    return;
  }
  run(sendNewRequest(core, conn, rid, app, routeUrl || undefined));
}
