import type { SipMessage } from '../../sip/index.js';
import { ClientTransaction } from '../transaction/client-transaction.js';
import type { ClientTransactionUser, Hop } from '../transaction/types.js';
import type { Core } from './contexts.js';

const IGNORE: ClientTransactionUser = { onResponse() {}, onFailure() {}, onTerminated() {} };

/** A client transaction for a request whose top Via carries `branch`, in the table but not sent yet. */
export function createClientTransaction(core: Core, req: SipMessage, branch: string, hop: Hop): ClientTransaction {
  const tx = new ClientTransaction(req, branch, hop, core.sender, core.timers, core.gauges.transactions, (t) => core.transactions.removeClient(t));
  core.transactions.addClient(tx);
  return tx;
}

/** Creates, registers and starts a client transaction. */
export function startClientTransaction(core: Core, req: SipMessage, branch: string, hop: Hop, user: ClientTransactionUser = IGNORE): ClientTransaction {
  const tx = createClientTransaction(core, req, branch, hop);
  tx.start(user);
  return tx;
}
