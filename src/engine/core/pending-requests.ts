import type { Gauge } from '../transaction/types.js';
import type { IncomingRequest, OutgoingRequest } from './contexts.js';

/**
 * Requests between the network and an app: incoming ones (delivered to an app, waiting for its
 * final response) by wire transaction id and by server transaction key, outgoing ones (sent by an
 * app, waiting for the network) by wire transaction id. The only place these indexes are written.
 */
export class PendingRequests {
  private readonly incomingById = new Map<string, IncomingRequest>();
  private readonly incomingByKey = new Map<string, IncomingRequest>();
  private readonly outgoingById = new Map<string, OutgoingRequest>();

  /** `gauge` counts the incoming requests still waiting for their app */
  constructor(private readonly gauge: Gauge) {}

  addIncoming(ctx: IncomingRequest): void {
    this.incomingById.set(ctx.txnId, ctx);
    this.incomingByKey.set(ctx.tx.key, ctx);
    this.gauge.inc();
  }

  incoming(txnId: string): IncomingRequest | undefined {
    return this.incomingById.get(txnId);
  }

  /** The incoming request a server transaction (by key) was delivered as. */
  incomingFor(txKey: string): IncomingRequest | undefined {
    return this.incomingByKey.get(txKey);
  }

  /** Removes an incoming request with its indexes; false when it was no longer pending. */
  takeIncoming(ctx: IncomingRequest): boolean {
    if (this.incomingById.get(ctx.txnId) !== ctx) return false;
    this.incomingById.delete(ctx.txnId);
    if (this.incomingByKey.get(ctx.tx.key) === ctx) this.incomingByKey.delete(ctx.tx.key);
    this.gauge.dec();
    return true;
  }

  incomingOwnedBy(owner: string): IncomingRequest[] {
    const out: IncomingRequest[] = [];
    for (const ctx of this.incomingById.values()) if (ctx.owner === owner) out.push(ctx);
    return out;
  }

  addOutgoing(ctx: OutgoingRequest): void {
    this.outgoingById.set(ctx.txnId, ctx);
  }

  outgoing(txnId: string): OutgoingRequest | undefined {
    return this.outgoingById.get(txnId);
  }

  removeOutgoing(ctx: OutgoingRequest): void {
    if (this.outgoingById.get(ctx.txnId) === ctx) this.outgoingById.delete(ctx.txnId);
  }

  outgoingOwnedBy(owner: string): OutgoingRequest[] {
    const out: OutgoingRequest[] = [];
    for (const ctx of this.outgoingById.values()) if (ctx.owner === owner) out.push(ctx);
    return out;
  }
}
