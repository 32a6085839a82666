import { canonicalHeaderName, formatNameAddr, formatUri, parseNameAddr, parseUri, type SipMessage } from '../../sip/index.js';
import type { LocalPoint } from './local-point.js';

/** Headers an app may never set (protocol doc §5.1): the engine owns them. */
const NEVER_FROM_APP = new Set(['via', 'v', 'route', 'record-route', 'rseq', 'content-length', 'l']);
/** Dialog identity headers, handled per message kind by the builders. */
const IDENTITY = new Set(['from', 'f', 'to', 't', 'call-id', 'i', 'cseq', 'contact', 'm', 'content-type', 'c', 'max-forwards']);
const SUBSTITUTED = new Set(['from', 'f', 'to', 't', 'contact', 'm', 'p-asserted-identity']);
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export interface AppHeader {
  name: string;
  value: string;
}

/**
 * The app's headers other than the engine-owned and identity ones, with names spelled as
 * drachtio-server spells them: canonical for known headers, `X-` verbatim, others capitalised.
 */
export function passThroughHeaders(app: SipMessage): AppHeader[] {
  const out: AppHeader[] = [];
  for (const h of app.headers) {
    const lower = h.name.toLowerCase();
    if (NEVER_FROM_APP.has(lower) || IDENTITY.has(lower)) continue;
    if (!TOKEN.test(h.name) || /[\r\n]/.test(h.value)) continue;
    out.push({ name: canonicalHeaderName(h.name), value: h.value });
  }
  return out;
}

/** §5.5: `@localhost` (and, for new requests' From, any `localhost` host) becomes our transport address. */
export function substituteLocalhost(name: string, value: string, local: LocalPoint, anyLocalhostHost = false): string {
  if (!SUBSTITUTED.has(name.toLowerCase())) return value;
  if (!value.includes('@localhost') && !(anyLocalhostHost && value.includes('localhost'))) return value;
  const na = parseNameAddr(value);
  if (!na) return value;
  const uri = parseUri(na.uri);
  if (!uri || uri.host.toLowerCase() !== 'localhost') return value;
  uri.host = local.advertised.includes(':') ? `[${local.advertised}]` : local.advertised;
  uri.port = local.port;
  if (local.transport !== 'udp' && !uri.params.has('transport') && name.toLowerCase().startsWith('c')) uri.params.set('transport', local.transport);
  return formatNameAddr({ ...na, uri: formatUri(uri) });
}

/** Content-Type sniffing (§5.2): SDP bodies get application/sdp; other bodies need the app's type. */
export function contentTypeFor(app: SipMessage, body: Buffer): { value?: string; missing: boolean } {
  const given = app.getHeader('Content-Type');
  if (given) return { value: given, missing: false };
  if (body.length === 0) return { missing: false };
  if (body.subarray(0, 3).toString('latin1') === 'v=0') return { value: 'application/sdp', missing: false };
  return { missing: true };
}
