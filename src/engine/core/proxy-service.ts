import type { SipMessage } from '../../sip/index.js';
import type { Inbound } from '../transport/types.js';
import type { AppConnection } from '../wire/app-connection.js';

/**
 * What the core and the engine need from the proxy (protocol doc §7, RFC 3261 §16). The engine
 * builds the proxy and hands it to the core as `core.proxy`; the core never imports `proxy/`.
 */
export interface ProxyService {
  /** the app's `proxy` command for a request delivered to it */
  command(conn: AppConnection, rid: string, args: readonly string[], sip: string): void;
  /** an upstream CANCEL for an INVITE the proxy is handling; true when it was one */
  cancel(inviteKey: string): boolean;
  /** an in-dialog request loose-routed through a proxied call (top Route names us, no dialog): relayed; true when taken */
  relayLooseRouted(req: SipMessage, inbound: Inbound): boolean;
  /** a response to a request relayed statelessly: passed on; true when taken */
  relayResponse(res: SipMessage): boolean;
  /** engine shutdown: every proxied transaction's timers off, nothing more sent */
  stop(): void;
}
