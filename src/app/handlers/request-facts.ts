import type Srf from 'drachtio-srf';
import { hostOf, percentDecode, userOf } from '../../sip/index.js';

/**
 * A request header as srf parsed it: `name` in full and lower case (`call-id`, not `i`), several
 * lines of one name joined by ','. srf keys its parsed headers this way; reading them directly
 * skips the name normalisation `req.get` repeats on every call (an env lookup and a scan of all
 * header names), which showed in REGISTER profiles.
 */
export function headerOf(req: Srf.SrfRequest, name: Lowercase<string>): string | undefined {
  return req.headers[name];
}

/** The domain a request is for: R-URI host for REGISTER, From host for everything else. */
export function requestDomain(req: Srf.SrfRequest): string | undefined {
  if (req.method === 'REGISTER') return hostOf(req.uri);
  const from = headerOf(req, 'from');
  return from === undefined ? undefined : hostOf(from);
}

/** Where a request came from, for logs, NAT and ban decisions. */
export interface RequestSource {
  address: string;
  port: number;
  transport: string;
}

export function requestSource(req: Srf.SrfRequest): RequestSource {
  return { address: req.source_address, port: Number(req.source_port), transport: (req.protocol || 'udp').toLowerCase() };
}

/**
 * drachtio-srf joins an array header value with ',' on ONE line. Challenges must be separate
 * header fields (RFC 3261 §25.1 allows one challenge per WWW-/Proxy-Authenticate field, and many
 * phones read only the first), so multi-valued headers are written as several lines here.
 */
export function headerLines(headers: Readonly<Record<string, readonly string[] | string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const values = typeof value === 'string' ? [value] : value;
    if (values.length === 0) continue;
    out[name] = values.join(`\r\n${name}: `);
  }
  return out;
}

/** User part of a SIP URI (or name-addr), unescaped; undefined when there is none. */
export function userOfUri(uri: string): string | undefined {
  const user = userOf(uri);
  return user === undefined ? undefined : percentDecode(user);
}
