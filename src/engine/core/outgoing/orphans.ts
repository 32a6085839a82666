import type { Dialog } from '../../dialog/dialog.js';
import { serializeMessage } from '../../../sip/index.js';
import type { Core } from '../contexts.js';
import { inDialogHop } from '../dialog-hop.js';
import { sendEngineBye } from '../engine-bye.js';
import { inDialogRequest } from '../message-factory.js';

/** A 2xx nobody will acknowledge (app gone or silent): acknowledge it and hang up, so nothing leaks. */
export function finishOrphanInvite(core: Core, d: Dialog): void {
  if (core.dialogs.get(d.id) !== d) return;
  const ack = inDialogRequest(d, 'ACK', d.remoteTarget ?? `sip:${d.peer.address}:${d.peer.port}`, d.inviteSeq, d.local);
  inDialogHop(core, d)
    .then((hop) => {
      core.sender.send(hop, serializeMessage(ack));
      sendEngineBye(core, d, 'application gone');
    })
    .catch(() => core.dialogs.remove(d));
}
