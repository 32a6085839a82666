export type TransportName = 'udp' | 'tcp' | 'tls';

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
  /** certificate files; required when transports include tls */
  tls?: TlsFiles;
}

/** PEM file paths (plain data: they cross into the engine's worker thread and are read at start). */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** intermediate certificates sent after certFile's */
  chainFile?: string;
  /** when set, servers we connect to must present a certificate issued by these CAs */
  caFile?: string;
}

export type SendErrorHandler = (err: Error) => void;
