// Semantic checks on requests received from the network (RFC 3261 §8.2, §16.3, RFC 4475).
import { headerKey } from './header-names.js';
import { hasWs, isDigits, isToken, splitTopLevel } from './lex.js';
import { readCSeq, type SipHeader, type SipMessage } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { parseUri, schemeEnd } from './uri.js';
import { parseVia } from './via.js';
import { reasonPhrase } from './reason-phrases.js';

export interface ValidationFailure {
  status: number;
  reason: string;
  extraHeaders?: SipHeader[];
}

const KNOWN_METHODS: ReadonlySet<string> = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE']);

/** Headers the checks look at, by lower-case name; index into HeaderIndex's arrays. */
const WATCHED: Readonly<Record<string, number>> = {
  via: 0,
  from: 1,
  to: 2,
  'call-id': 3,
  cseq: 4,
  'max-forwards': 5,
  'content-length': 6,
  contact: 7,
  route: 8,
  'record-route': 9,
};
const LABELS = ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Contact', 'Route', 'Record-Route'];
const MANDATORY = [0, 1, 2, 3, 4];
const SINGLE = [3, 1, 2, 4, 5, 6];
/** watched headers whose every value is checked (the others: first value and count) */
const IS_LIST = [true, false, false, false, false, false, false, true, true, true];
const URI_SCHEMES: ReadonlySet<string> = new Set(['sip', 'sips', 'tel']);

const bad = (what: string): ValidationFailure => ({ status: 400, reason: `Bad Request - ${what}` });

/** One pass over the headers: how often each watched header occurs, its values. */
class HeaderIndex {
  readonly counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  readonly first: (string | undefined)[] = [];
  readonly lists: (string[] | undefined)[] = [];

  constructor(msg: SipMessage) {
    for (const h of msg.headers) {
      const i = WATCHED[headerKey(h.name)];
      if (i === undefined) continue;
      if (this.counts[i]!++ === 0) this.first[i] = h.value;
      if (IS_LIST[i]) (this.lists[i] ??= []).push(h.value);
    }
  }

  list(i: number): string[] {
    return this.lists[i] ?? [];
  }
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
    if (!KNOWN_METHODS.has(msg.method)) return { status: 501, reason: reasonPhrase(501) };
    return bad('CSeq method does not match Request-Line');
  }
  return null;
}

function check(msg: SipMessage): ValidationFailure | null {
  if (msg.version.toUpperCase() !== 'SIP/2.0') return { status: 505, reason: 'SIP Version Not Supported' };
  if (!isToken(msg.method)) return bad('Malformed Method');
  const h = new HeaderIndex(msg);
  const missing = MANDATORY.filter((i) => h.counts[i] === 0).map((i) => LABELS[i]!);
  if (missing.length > 0) return bad(`Missing ${missing.join(', ')} header${missing.length > 1 ? 's' : ''}`);
  for (const i of SINGLE) {
    if (h.counts[i]! > 1) return bad(`Multiple ${LABELS[i]} headers`);
  }
  const callId = h.first[3] ?? '';
  if (callId.length === 0 || hasWs(callId)) return bad('Malformed Call-ID');
  const cseqFailure = checkCSeq(msg, h.first[4] ?? '');
  if (cseqFailure) return cseqFailure;
  const mf = h.first[5];
  if (mf !== undefined && !isDigits(mf)) return bad('Max-Forwards is not numeric');
  const viaFailure = checkList(h.list(0), 'Via', isVia);
  if (viaFailure) return viaFailure;
  if (!parseNameAddr(h.first[1] ?? '')) return bad('Malformed From header');
  if (!parseNameAddr(h.first[2] ?? '')) return bad('Malformed To header');
  const contactFailure = checkList(h.list(7), 'Contact', isContact);
  if (contactFailure) return contactFailure;
  return checkList(h.list(8), 'Route', isRoute) ?? checkList(h.list(9), 'Record-Route', isRoute) ?? checkRequestUri(msg.uri);
}

const isVia = (v: string): boolean => parseVia(v) !== undefined;
const isContact = (v: string): boolean => v === '*' || parseNameAddr(v) !== undefined;
const isRoute = (v: string): boolean => parseNameAddr(v)?.bracketed === true;

export function validateRequest(msg: SipMessage): ValidationFailure | null {
  try {
    return check(msg);
  } catch {
    return bad('Unparseable request');
  }
}
