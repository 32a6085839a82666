import type { Logger } from 'pino';
import type { TimerConfig } from './transaction/timers.js';
import type { ListenPoint } from './transport/types.js';

export interface EngineOptions {
  /** SIP listen points (drachtio-server's --contact) */
  sip: ListenPoint[];
  /** wire-protocol (admin) listener for drachtio-srf apps */
  wire: { host: string; port: number; secret: string };
  logger: Logger;
  /** largest SIP message accepted, in bytes (default 65,535) */
  maxMessageSize?: number;
  timers?: Partial<TimerConfig>;
  /** TCP peers that leave a partial message this long are disconnected (default 30 s) */
  partialMessageTimeoutMs?: number;
  /** idle TCP connections are closed after this long (default 1 h) */
  tcpIdleTimeoutMs?: number;
}

/** Reported in the authenticate answer; srf only pings servers whose version parses (§2.3). */
export const ENGINE_VERSION = 'v0.9.3-embedded';
