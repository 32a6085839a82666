import type { SipMessage } from '../sip/index.js';
import { ClientTransaction } from '../transaction/client-transaction.js';
import type { ClientTransactionUser, Hop } from '../transaction/types.js';
import type { Core } from './contexts.js';

const IGNORE: ClientTransactionUser = { onResponse() {}, onFailure() {}, onTerminated() {} };

/** Creates, registers and starts a client transaction for a request whose top Via carries `branch`. */
export function startClientTransaction(core: Core, req: SipMessage, branch: string, hop: Hop, user: ClientTransactionUser = IGNORE): ClientTransaction {
  const tx = new ClientTransaction(req, branch, hop, core.sender, core.timers, core.gauges.transactions, (t) => {
    if (core.clientTxns.get(t.key) === t) core.clientTxns.delete(t.key);
  }, user);
  core.clientTxns.set(tx.key, tx);
  tx.start();
  return tx;
}
