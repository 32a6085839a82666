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
  /** TCP/TLS peers that leave a partial message (or a TLS handshake) unfinished this long are disconnected (default 30 s) */
  partialMessageTimeoutMs?: number;
  /** idle TCP and TLS connections are closed after this long (default 1 h) */
  tcpIdleTimeoutMs?: number;
  /**
   * How long an app may take to send its FIRST response to a request it was handed (default 64 s,
   * as drachtio-server). Once it has sent any response (a 180 too) the call may ring as long as
   * the app wants; an app that sent nothing is answered for (480/408) and, for an INVITE, told so
   * with a CANCEL.
   */
  appAnswerTimeoutMs?: number;
  sessionTimers?: SessionTimerOptions;
}

export interface SessionTimerOptions {
  /**
   * Who refreshes when a caller offers Session-Expires without `refresher` and the app's 2xx names
   * none (drachtio-server's sip/session-timers/@default-refresher): 'none' (default) runs no timer.
   */
  defaultRefresher?: 'uac' | 'uas' | 'none';
  /** milliseconds per session-timer second (default 1000); tests shrink it */
  msPerSecond?: number;
}

/** Reported in the authenticate answer; srf only pings servers whose version parses (§2.3). */
export const ENGINE_VERSION = 'v0.9.3-embedded';
