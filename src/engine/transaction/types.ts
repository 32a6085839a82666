import type { SipMessage } from '../../sip/index.js';
import type { Peer, SendErrorHandler } from '../transport/types.js';

/** A destination plus, for stream transports, the connection to use. */
export interface Hop extends Peer {
  connectionId?: string;
}

/** What transactions need from the transport layer. */
export interface Sender {
  send(hop: Hop, buf: Buffer, onError?: SendErrorHandler): void;
}

/** Raised to the transaction user (the engine core) by client transactions. */
export interface ClientTransactionUser {
  onResponse(res: SipMessage, raw: Buffer, from: Peer): void;
  /** Timer B/F expiry or transport failure: the core synthesises 408 / 503. */
  onFailure(kind: 'timeout' | 'transport', reason: string): void;
  onTerminated(): void;
}

export interface Gauge {
  inc(): void;
  dec(): void;
}
