// SIP/SIPS URIs (RFC 3261 §19.1, §25.1) and tel URIs (RFC 3966, minimally). No %-decoding here.
import { isValidHost, parsePort } from './via.js';

export interface SipUri {
  scheme: string; // lower-cased: 'sip' | 'sips' | 'tel'
  /** For tel URIs: the telephone-subscriber number. */
  user?: string;
  password?: string;
  /** IPv6 references keep their brackets; '' for tel URIs. */
  host: string;
  port?: number;
  params: Map<string, string | null>;
  headers: Map<string, string>;
}

const HEX = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const ALNUM = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
// mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
const MARK = new Set([0x2d, 0x5f, 0x2e, 0x21, 0x7e, 0x2a, 0x27, 0x28, 0x29]);

function charsetOk(s: string, extra: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (ALNUM(c) || MARK.has(c) || extra.indexOf(s[i] as string) >= 0) continue;
    if (c === 0x25 && HEX(s.charCodeAt(i + 1)) && HEX(s.charCodeAt(i + 2))) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

const USER_EXTRA = '&=+$,;?/';
const PASSWORD_EXTRA = '&=+$,';
const PARAM_EXTRA = '[]/:&+$';
const HEADER_EXTRA = '[]/?:+$';

/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); returns the ':' offset or -1. */
export function schemeEnd(text: string): number {
  const colon = text.indexOf(':');
  if (colon < 1) return -1;
  for (let i = 0; i < colon; i++) {
    const c = text.charCodeAt(i);
    const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!(alpha || (i > 0 && (ALNUM(c) || c === 0x2b || c === 0x2d || c === 0x2e)))) return -1;
  }
  return colon;
}

function parseUriParams(text: string, out: Map<string, string | null>): boolean {
  if (text.length === 0) return true;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name.length === 0 || !charsetOk(name, PARAM_EXTRA)) return false;
    const value = eq < 0 ? null : part.slice(eq + 1);
    if (value !== null && !charsetOk(value, PARAM_EXTRA)) return false;
    out.set(name.toLowerCase(), value);
  }
  return true;
}

function parseUriHeaders(text: string, out: Map<string, string>): boolean {
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 1) return false;
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!charsetOk(name, HEADER_EXTRA) || !charsetOk(value, HEADER_EXTRA)) return false;
    out.set(name, value);
  }
  return true;
}

function parseTel(rest: string, uri: SipUri): SipUri | undefined {
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (number.length === 0 || !charsetOk(number, '+#')) return undefined;
  uri.user = number;
  if (semi >= 0 && !parseUriParams(rest.slice(semi + 1), uri.params)) return undefined;
  return uri;
}

export function parseUri(text: string): SipUri | undefined {
  const colon = schemeEnd(text);
  if (colon < 0) return undefined;
  const scheme = text.slice(0, colon).toLowerCase();
  const uri: SipUri = { scheme, host: '', params: new Map(), headers: new Map() };
  const rest = text.slice(colon + 1);
  if (scheme === 'tel') return parseTel(rest, uri);
  if (scheme !== 'sip' && scheme !== 'sips') return undefined;

  let hostStart = 0;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const pc = userinfo.indexOf(':');
    const user = pc < 0 ? userinfo : userinfo.slice(0, pc);
    if (user.length === 0 || !charsetOk(user, USER_EXTRA)) return undefined;
    uri.user = user;
    if (pc >= 0) {
      const password = userinfo.slice(pc + 1);
      if (!charsetOk(password, PASSWORD_EXTRA)) return undefined;
      uri.password = password;
    }
    hostStart = at + 1;
  }
  let i = hostStart;
  if (rest.charCodeAt(i) === 0x5b) {
    const close = rest.indexOf(']', i);
    if (close < 0) return undefined;
    i = close + 1;
  } else {
    while (i < rest.length && rest[i] !== ':' && rest[i] !== ';' && rest[i] !== '?') i++;
  }
  const host = rest.slice(hostStart, i);
  if (!isValidHost(host)) return undefined;
  uri.host = host;
  if (rest[i] === ':') {
    const pStart = ++i;
    while (i < rest.length && rest[i] !== ';' && rest[i] !== '?') i++;
    const port = parsePort(rest.slice(pStart, i));
    if (port === undefined) return undefined;
    uri.port = port;
  }
  const q = rest.indexOf('?', i);
  const paramText = q < 0 ? rest.slice(i) : rest.slice(i, q);
  if (paramText.length > 0) {
    if (paramText[0] !== ';' || !parseUriParams(paramText.slice(1), uri.params)) return undefined;
  }
  if (q >= 0 && !parseUriHeaders(rest.slice(q + 1), uri.headers)) return undefined;
  return uri;
}

export function formatUri(u: SipUri): string {
  let out = `${u.scheme}:`;
  if (u.scheme === 'tel') {
    out += u.user ?? '';
  } else {
    if (u.user !== undefined) out += u.password !== undefined ? `${u.user}:${u.password}@` : `${u.user}@`;
    out += u.host;
    if (u.port !== undefined) out += `:${u.port}`;
  }
  for (const [k, v] of u.params) out += v === null ? `;${k}` : `;${k}=${v}`;
  let sep = '?';
  for (const [k, v] of u.headers) {
    out += `${sep}${k}=${v}`;
    sep = '&';
  }
  return out;
}

/** Decodes %HH escapes (as UTF-8 bytes); malformed escapes are kept literally. */
export function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as number;
    if (c === 0x25 && i + 2 < raw.length && HEX(raw[i + 1] as number) && HEX(raw[i + 2] as number)) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1] as number, raw[i + 2] as number), 16));
      i += 2;
    } else {
      bytes.push(c);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
