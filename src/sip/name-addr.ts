// name-addr / addr-spec with header parameters (From, To, Contact, Route, ... RFC 3261 §20.10).
import { hasWs, isTokenCode, isWs, skipQuoted, trimLws, unquote } from './lex.js';
import { formatParams, parseParams, type ParamMap } from './params.js';
import { schemeEnd } from './uri.js';

export interface NameAddr {
  /** Unquoted, quoted-pairs resolved. */
  displayName?: string;
  uri: string;
  params: ParamMap;
  /** Whether the URI was written inside '<' '>'. */
  bracketed: boolean;
}

/** *(token LWS): the unquoted display-name form. */
function isTokenPhrase(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isTokenCode(c) && !isWs(c)) return false;
  }
  return true;
}

/** Any absoluteURI-ish text: scheme ':' followed by something, no whitespace. */
function isUriText(uri: string): boolean {
  if (uri.length === 0 || hasWs(uri)) return false;
  const colon = schemeEnd(uri);
  return colon > 0 && colon < uri.length - 1;
}

export function parseNameAddr(value: string): NameAddr | undefined {
  const v = trimLws(value);
  if (v.length === 0) return undefined;
  let displayName: string | undefined;
  let lt: number;
  if (v.charCodeAt(0) === 0x22) {
    const end = skipQuoted(v, 0);
    if (end < 0) return undefined;
    displayName = unquote(v.slice(0, end));
    lt = end;
    while (lt < v.length && isWs(v.charCodeAt(lt))) lt++;
    if (v.charCodeAt(lt) !== 0x3c) return undefined;
  } else {
    lt = v.indexOf('<');
    if (lt >= 0) {
      const phrase = trimLws(v.slice(0, lt));
      if (!isTokenPhrase(phrase)) return undefined;
      if (phrase.length > 0) displayName = phrase;
    }
  }
  if (lt >= 0) {
    const gt = v.indexOf('>', lt + 1);
    if (gt < 0) return undefined;
    const uri = v.slice(lt + 1, gt);
    if (!isUriText(uri)) return undefined;
    const params = parseParams(v, gt + 1);
    if (!params) return undefined;
    const na: NameAddr = { uri, params, bracketed: true };
    if (displayName !== undefined) na.displayName = displayName;
    return na;
  }
  // addr-spec: the URI ends at the first ';' and may not hold ',', '?' or ';' (§20.10).
  const semi = v.indexOf(';');
  const uri = trimLws(semi < 0 ? v : v.slice(0, semi));
  if (!isUriText(uri) || uri.indexOf(',') >= 0 || uri.indexOf('?') >= 0) return undefined;
  const params = semi < 0 ? new Map<string, string | null>() : parseParams(v, semi);
  if (!params) return undefined;
  return { uri, params, bracketed: false };
}

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0d || c === 0x0a) continue; // not representable, even as a quoted-pair
    if (c === 0x22 || c === 0x5c || c < 0x20 || c === 0x7f) out += '\\';
    out += s[i] as string;
  }
  return `${out}"`;
}

export function formatNameAddr(n: NameAddr): string {
  const dn = n.displayName !== undefined && n.displayName.length > 0 ? `${quote(n.displayName)} ` : '';
  return `${dn}<${n.uri}>${formatParams(n.params)}`;
}
