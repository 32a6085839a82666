import { randomUUID } from 'node:crypto';
import type { Dialog } from '../dialog/dialog.js';
import { serializeMessage } from '../../sip/index.js';
import { sipFrame, wireTime } from '../wire/leader.js';
import { startClientTransaction } from './client-transactions.js';
import type { Core } from './contexts.js';
import { engineBye } from './message-factory.js';
import { inDialogHop } from './dialog-hop.js';
import { cdrs } from './cdrs.js';

/** The Reason text of the BYE that ends a dialog whose session timer ran out (RFC 4028 §10). */
export const SESSION_EXPIRED = 'Session timer expired';

/** §6.7: a BYE the engine sends on its own, reported to the owner as an `unsolicited` request. */
export function sendEngineBye(core: Core, d: Dialog, reasonText: string): void {
  core.dialogs.remove(d);
  const bye = engineBye(d, reasonText);
  const branch = bye.topVia()?.branch ?? randomUUID();
  inDialogHop(core, d)
    .then((hop) => {
      startClientTransaction(core, bye, branch, hop);
      const raw = serializeMessage(bye);
      cdrs.stop(core, 'application', reasonText === SESSION_EXPIRED ? 'session-expired' : 'system-initiated-termination', raw);
      const meta = { source: 'application' as const, bytes: raw.length, protocol: d.local.transport, address: d.local.advertised, port: d.local.port, time: wireTime() };
      core.app(d.owner)?.send(sipFrame(meta, 'unsolicited', d.id, raw.toString('utf8')));
    })
    .catch((err: Error) => core.log.warn({ dialog: d.id, err: err.message }, 'could not send BYE'));
}
