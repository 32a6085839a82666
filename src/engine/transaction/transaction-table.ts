import type { ClientTransaction } from './client-transaction.js';
import type { ServerTransaction } from './server-transaction.js';
import type { SipMessage } from '../../sip/index.js';
import { mergeKey } from './keys.js';

/**
 * The live server and client transactions, by transaction key, and the merged-request index
 * (RFC 3261 §8.2.2.2: Call-ID/From-tag/CSeq/method → the server transaction that first had it).
 * The only place these indexes are written, so a transaction leaves them all at once.
 */
export class TransactionTable {
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly mergeOwners = new Map<string, string>();

  addServer(tx: ServerTransaction): void {
    this.servers.set(tx.key, tx);
    const m = mergeKey(tx.request);
    if (m && !this.mergeOwners.has(m)) this.mergeOwners.set(m, tx.key);
  }

  server(key: string): ServerTransaction | undefined {
    return this.servers.get(key);
  }

  /** Another live server transaction (not `key`) already has this request's Call-ID/From-tag/CSeq/method. */
  isMerged(req: SipMessage, key: string): boolean {
    const m = mergeKey(req);
    const owner = m && this.mergeOwners.get(m);
    return !!owner && owner !== key && this.servers.has(owner);
  }

  /** `removeServer` as a callback made once, handed to every server transaction. */
  readonly onServerDone = (tx: ServerTransaction): void => this.removeServer(tx);

  /** A terminated server transaction leaves the table with its merge key. */
  removeServer(tx: ServerTransaction): void {
    if (this.servers.get(tx.key) === tx) this.servers.delete(tx.key);
    const m = mergeKey(tx.request);
    if (m && this.mergeOwners.get(m) === tx.key) this.mergeOwners.delete(m);
  }

  addClient(tx: ClientTransaction): void {
    this.clients.set(tx.key, tx);
  }

  client(key: string): ClientTransaction | undefined {
    return this.clients.get(key);
  }

  removeClient(tx: ClientTransaction): void {
    if (this.clients.get(tx.key) === tx) this.clients.delete(tx.key);
  }

  /** Engine stop: every transaction ends (each removes itself through its onDone). */
  terminateAll(): void {
    for (const tx of [...this.servers.values()]) tx.terminate();
    for (const tx of [...this.clients.values()]) tx.terminate();
  }
}
