export type TransportName = 'udp' | 'tcp';

export interface Endpoint {
  address: string;
  port: number;
}

export interface Peer extends Endpoint {
  transport: TransportName;
}

/** Where a message came from and on which of our listen points it arrived. */
export interface Inbound {
  buf: Buffer;
  remote: Peer;
  local: Endpoint;
  /** set for stream transports: the connection it arrived on */
  connectionId?: string;
}

export interface ListenPoint {
  host: string;
  port: number;
  transports: TransportName[];
  /** address to advertise in Via/Contact when host is a wildcard or behind NAT */
  externalIp?: string;
}

export type SendErrorHandler = (err: Error) => void;
