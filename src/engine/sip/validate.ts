// Semantic checks on requests received from the network (RFC 3261 §8.2, §16.3, RFC 4475).
import { headerKey } from './header-names.js';
import { hasWs, isDigits, isToken, splitTopLevel } from './lex.js';
import { readCSeq, type SipHeader, type SipMessage } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { parseUri, schemeEnd } from './uri.js';
import { parseVia } from './via.js';

export interface ValidationFailure {
  status: number;
  reason: string;
  extraHeaders?: SipHeader[];
}

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY',
  'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE',
]);

const MANDATORY: ReadonlyArray<[string, string]> = [
  ['via', 'Via'], ['from', 'From'], ['to', 'To'], ['call-id', 'Call-ID'], ['cseq', 'CSeq'],
];
const SINGLE: ReadonlyArray<[string, string]> = [
  ['call-id', 'Call-ID'], ['from', 'From'], ['to', 'To'], ['cseq', 'CSeq'],
  ['max-forwards', 'Max-Forwards'], ['content-length', 'Content-Length'],
];
const URI_SCHEMES: ReadonlySet<string> = new Set(['sip', 'sips', 'tel']);

const bad = (what: string): ValidationFailure => ({ status: 400, reason: `Bad Request - ${what}` });

function byKey(msg: SipMessage): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const h of msg.headers) {
    const key = headerKey(h.name);
    const list = map.get(key);
    if (list) list.push(h.value);
    else map.set(key, [h.value]);
  }
  return map;
}

function checkRequestUri(uri: string): ValidationFailure | null {
  if (hasWs(uri)) return bad('Whitespace in Request-URI');
  if (uri.charCodeAt(0) === 0x3c) return bad('Request-URI enclosed in <>');
  const colon = schemeEnd(uri);
  if (colon < 0) return bad('Malformed Request-URI');
  if (!URI_SCHEMES.has(uri.slice(0, colon).toLowerCase())) {
    return { status: 416, reason: 'Unsupported URI Scheme' };
  }
  const parsed = parseUri(uri);
  if (!parsed) return bad('Malformed Request-URI');
  if (parsed.headers.size > 0) return bad('Headers not allowed in Request-URI');
  return null;
}

function checkList(values: string[], label: string, check: (v: string) => boolean): ValidationFailure | null {
  for (const line of values) {
    for (const piece of splitTopLevel(line, 0x2c)) {
      if (piece.length === 0 || !check(piece)) return bad(`Malformed ${label} header`);
    }
  }
  return null;
}

function checkCSeq(msg: SipMessage, value: string): ValidationFailure | null {
  const cseq = readCSeq(value);
  if (typeof cseq === 'string') return bad(cseq);
  if (cseq.method !== msg.method) {
    // RFC 4475 §3.1.2.18: an unknown method with a mismatching CSeq is better answered 501.
    if (!KNOWN_METHODS.has(msg.method)) return { status: 501, reason: 'Not Implemented' };
    return bad('CSeq method does not match Request-Line');
  }
  return null;
}

function check(msg: SipMessage): ValidationFailure | null {
  if (msg.version.toUpperCase() !== 'SIP/2.0') return { status: 505, reason: 'SIP Version Not Supported' };
  if (!isToken(msg.method)) return bad('Malformed Method');
  const h = byKey(msg);
  const missing = MANDATORY.filter(([k]) => !h.has(k)).map(([, label]) => label);
  if (missing.length > 0) return bad(`Missing ${missing.join(', ')} header${missing.length > 1 ? 's' : ''}`);
  for (const [key, label] of SINGLE) {
    if ((h.get(key)?.length ?? 0) > 1) return bad(`Multiple ${label} headers`);
  }
  const callId = h.get('call-id')?.[0] ?? '';
  if (callId.length === 0 || hasWs(callId)) return bad('Malformed Call-ID');
  const cseqFailure = checkCSeq(msg, h.get('cseq')?.[0] ?? '');
  if (cseqFailure) return cseqFailure;
  const mf = h.get('max-forwards')?.[0];
  if (mf !== undefined && !isDigits(mf)) return bad('Max-Forwards is not numeric');
  const viaFailure = checkList(h.get('via') ?? [], 'Via', (v) => parseVia(v) !== undefined);
  if (viaFailure) return viaFailure;
  if (!parseNameAddr(h.get('from')?.[0] ?? '')) return bad('Malformed From header');
  if (!parseNameAddr(h.get('to')?.[0] ?? '')) return bad('Malformed To header');
  const contactFailure = checkList(h.get('contact') ?? [], 'Contact', (v) => v === '*' || parseNameAddr(v) !== undefined);
  if (contactFailure) return contactFailure;
  for (const [key, label] of [['route', 'Route'], ['record-route', 'Record-Route']] as const) {
    const f = checkList(h.get(key) ?? [], label, (v) => parseNameAddr(v)?.bracketed === true);
    if (f) return f;
  }
  return checkRequestUri(msg.uri);
}

export function validateRequest(msg: SipMessage): ValidationFailure | null {
  try {
    return check(msg);
  } catch {
    return bad('Unparseable request');
  }
}
