// Fast reads of one part of a SIP/SIPS URI, given the URI or a name-addr / addr-spec header value,
// without building a SipUri (REGISTER handling reads the host and user of several URIs per
// request). They agree with parseUri on every URI parseUri accepts; on other text they are lenient.
import { isWs, skipQuoted } from './lex.js';

/** Start and end offsets of the URI in `text`: inside '<' '>' (outside a quoted display name) when present. */
function uriBounds(text: string): [number, number] {
  let a = 0;
  let b = text.length;
  for (let i = 0; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = skipQuoted(text, i);
      if (end < 0) break;
      i = end - 1;
    } else if (c === 0x3c) {
      const gt = text.indexOf('>', i + 1);
      return [i + 1, gt < 0 ? b : gt];
    }
  }
  while (a < b && isWs(text.charCodeAt(a))) a++;
  while (b > a && isWs(text.charCodeAt(b - 1))) b--;
  return [a, b];
}

/** Offset just past `sip:` / `sips:` (any case) at `at`, or -1. */
function afterSipScheme(text: string, at: number): number {
  if ((text.charCodeAt(at) | 0x20) !== 0x73 || (text.charCodeAt(at + 1) | 0x20) !== 0x69 || (text.charCodeAt(at + 2) | 0x20) !== 0x70) return -1;
  const c = text.charCodeAt(at + 3);
  if (c === 0x3a) return at + 4;
  if ((c | 0x20) === 0x73 && text.charCodeAt(at + 4) === 0x3a) return at + 5;
  return -1;
}

/** Offset of the '@' ending the userinfo ('@' is legal nowhere else in a SIP URI), or -1. */
function userinfoEnd(text: string, from: number, to: number): number {
  const at = text.indexOf('@', from);
  return at < 0 || at >= to ? -1 : at;
}

/** host, port, params and headers end at these (and at whitespace, which no URI holds) */
function endsHost(c: number): boolean {
  return c === 0x3a || c === 0x3b || c === 0x3f || c === 0x3e || isWs(c);
}

/**
 * Host of a sip/sips URI (`sip:100@Demo.local:5060;transport=tcp` or `"A" <sip:100@demo.local>;tag=1`
 * → `demo.local`), lower case, IPv6 without brackets; undefined when there is no sip/sips URI or no host.
 */
export function hostOf(text: string): string | undefined {
  const [a, b] = uriBounds(text);
  const start = afterSipScheme(text, a);
  if (start < 0) return undefined;
  const at = userinfoEnd(text, start, b);
  const h = at < 0 ? start : at + 1;
  if (text.charCodeAt(h) === 0x5b) {
    const close = text.indexOf(']', h);
    return close < 0 || close > b || close === h + 1 ? undefined : text.slice(h + 1, close).toLowerCase();
  }
  let e = h;
  while (e < b && !endsHost(text.charCodeAt(e))) e++;
  return e === h ? undefined : text.slice(h, e).toLowerCase();
}

/**
 * User part of a sip/sips URI as written (still %-escaped, password removed): `sip:100@demo.local`
 * or `<sip:100:pw@demo.local>;tag=1` → `100`; undefined when there is no sip/sips URI or no user.
 */
export function userOf(text: string): string | undefined {
  const [a, b] = uriBounds(text);
  const start = afterSipScheme(text, a);
  if (start < 0) return undefined;
  const at = userinfoEnd(text, start, b);
  if (at <= start) return undefined;
  const colon = text.indexOf(':', start);
  const end = colon >= 0 && colon < at ? colon : at;
  return end === start ? undefined : text.slice(start, end);
}

/**
 * A comparison key for two URIs naming the same contact, close enough to RFC 3261 §19.1.4 for
 * binding matching: scheme and host are case-insensitive, the userinfo is not, URI parameters are
 * unordered and compared case-insensitively, URI headers are ignored.
 */
export function uriMatchKey(uri: string): string {
  const colon = uri.indexOf(':');
  const scheme = uri.slice(0, colon).toLowerCase();
  const q = uri.indexOf('?', colon + 1);
  const end = q < 0 ? uri.length : q;
  const at = userinfoEnd(uri, colon + 1, end);
  const user = at < 0 ? '' : uri.slice(colon + 1, at + 1);
  const hostStart = at < 0 ? colon + 1 : at + 1;
  const semi = uri.indexOf(';', hostStart);
  if (semi < 0 || semi >= end) return `${scheme}:${user}${uri.slice(hostStart, end).toLowerCase()}`;
  const params = uri
    .slice(semi + 1, end)
    .split(';')
    .filter((p) => p.length > 0)
    .map((p) => p.toLowerCase())
    .sort();
  return [`${scheme}:${user}${uri.slice(hostStart, semi).toLowerCase()}`, ...params].join(';');
}
