import type Srf from 'drachtio-srf';

/**
 * Host part of a SIP/SIPS URI (`sip:100@demo.local:5060;transport=tcp` → `demo.local`), lower
 * case, IPv6 without brackets; undefined when the text is not a sip/sips URI.
 */
export function hostOfUri(uri: string): string | undefined {
  let s = uri.trim();
  const lt = s.indexOf('<');
  if (lt !== -1) s = s.slice(lt + 1, s.indexOf('>', lt) === -1 ? undefined : s.indexOf('>', lt));
  const m = /^sips?:/i.exec(s);
  if (!m) return undefined;
  s = s.slice(m[0].length);
  // userinfo ends at the last '@' before any parameter or header part of the URI
  const end = s.search(/[;?]/);
  const at = s.lastIndexOf('@', end === -1 ? undefined : end);
  if (at !== -1) s = s.slice(at + 1);
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    return close === -1 ? undefined : s.slice(1, close).toLowerCase() || undefined;
  }
  const host = s.split(/[:;?>]/, 1)[0] ?? '';
  return host === '' ? undefined : host.toLowerCase();
}

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
  if (req.method === 'REGISTER') return hostOfUri(req.uri);
  const from = headerOf(req, 'from');
  return from === undefined ? undefined : hostOfUri(from);
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
  const m = /sips?:([^@;?>]+)@/i.exec(uri);
  if (!m) return undefined;
  const user = m[1]!.split(':', 1)[0]!;
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}
