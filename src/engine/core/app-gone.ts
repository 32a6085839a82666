import type { AppConnection } from '../wire/app-connection.js';
import { ClientState } from '../transaction/client-transaction.js';
import { SipMessage } from '../../sip/index.js';
import { handleAppCancel } from './outgoing/app-cancel.js';
import { DialogState } from '../dialog/dialog.js';
import type { Core } from './contexts.js';
import { answerForApp } from './incoming/delivery.js';
import { sendEngineBye } from './engine-bye.js';

/** §2.7: an app connection closed. Its pending requests are answered, its calls ended. */
export function onAppGone(core: Core, conn: AppConnection): void {
  for (const ctx of core.pending.incomingOwnedBy(conn.id)) answerForApp(core, ctx, ctx.tx.isInvite ? 480 : 500);
  for (const ctx of core.pending.outgoingOwnedBy(conn.id)) {
    if (!ctx.tx.isInvite) continue;
    if (ctx.tx.state === ClientState.Calling || ctx.tx.state === ClientState.Proceeding) {
      const cancel = new SipMessage();
      cancel.method = 'CANCEL';
      cancel.addHeader('Reason', 'SIP;cause=480;text="application gone"');
      handleAppCancel(core, conn, 'app-gone', ctx.txnId, cancel);
    }
  }
  for (const d of core.dialogs.ownedBy(conn.id)) {
    if (d.state === DialogState.Confirmed) sendEngineBye(core, d, 'application gone');
    else core.dialogs.remove(d);
  }
}
