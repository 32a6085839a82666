import { isIP } from 'node:net';
import type { Dialog } from '../dialog/dialog.js';
import { parseNameAddr, parseUri, type SipUri } from '../../sip/index.js';
import type { Hop } from '../transaction/types.js';
import type { TransportName } from '../transport/types.js';
import type { Core } from './contexts.js';

/** Where a request inside the dialog goes: the first Route, else the peer we observed (NAT-safe). */
export async function inDialogHop(core: Core, d: Dialog): Promise<Hop> {
  const first = d.routeSet[0];
  if (first) {
    const uri = parseUri(parseNameAddr(first)?.uri ?? '');
    if (uri) return hopForUri(core, uri, d.peer.transport);
  }
  return d.peer;
}

/**
 * RFC 3263 in its simplest form: transport parameter (a `sips:` URI always means TLS, RFC 3261
 * §26.2), port default 5060 (5061 for TLS), A/AAAA lookup.
 */
export async function hopForUri(core: Core, uri: SipUri, fallback: TransportName = 'udp'): Promise<Hop> {
  const transport = transportOf(uri, fallback);
  const host = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
  const address = isIP(host) ? host : await core.resolve(host);
  return core.hopFor({ transport, address, port: uri.port ?? defaultPort(transport) });
}

export function transportOf(uri: SipUri, fallback: TransportName = 'udp'): TransportName {
  if (uri.scheme === 'sips') return 'tls';
  const t = (uri.params.get('transport') ?? '').toLowerCase();
  return t === 'tcp' || t === 'udp' || t === 'tls' ? t : fallback;
}

export const defaultPort = (t: TransportName): number => (t === 'tls' ? 5061 : 5060);
