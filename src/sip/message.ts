// In-memory SIP message: start line, ordered raw header lines, binary body.
import { headerKey, isListHeader } from './header-names.js';
import { isToken, splitTopLevel, stripLeadingZeros } from './lex.js';
import { getParam } from './params.js';
import { parseVia, type Via } from './via.js';

export { canonicalHeaderName } from './header-names.js';

export interface SipHeader {
  name: string;
  value: string;
}

export interface CSeq {
  seq: number;
  method: string;
}

const EMPTY = Buffer.alloc(0);

export class SipMessage {
  method = '';
  uri = '';
  status = 0;
  reason = '';
  /** 'SIP/2.0' unless the peer sent something else (validateRequest answers 505 then). */
  version = 'SIP/2.0';
  headers: SipHeader[] = [];
  body: Buffer = EMPTY;

  #callId: string | undefined;
  #cseq: CSeq | undefined;
  #fromTag: string | null | undefined;
  #toTag: string | null | undefined;
  #topVia: Via | null | undefined;

  static request(method: string, uri: string, headers: SipHeader[] = [], body: Buffer = EMPTY): SipMessage {
    const m = new SipMessage();
    m.method = method;
    m.uri = uri;
    m.headers = headers;
    m.body = body;
    return m;
  }

  static response(status: number, reason: string, headers: SipHeader[] = [], body: Buffer = EMPTY): SipMessage {
    const m = new SipMessage();
    m.status = status;
    m.reason = reason;
    m.headers = headers;
    m.body = body;
    return m;
  }

  get isRequest(): boolean {
    return this.status === 0;
  }

  /** Deep enough copy that header edits on the clone do not affect this message (body is shared). */
  clone(): SipMessage {
    const m = new SipMessage();
    m.method = this.method;
    m.uri = this.uri;
    m.status = this.status;
    m.reason = this.reason;
    m.version = this.version;
    m.headers = this.headers.map((h) => ({ name: h.name, value: h.value }));
    m.body = this.body;
    return m;
  }

  getHeader(name: string): string | undefined {
    const key = headerKey(name);
    for (const h of this.headers) if (headerKey(h.name) === key) return h.value;
    return undefined;
  }

  /** Every occurrence, split on top-level commas for list-valued headers; empty elements dropped. */
  getHeaderValues(name: string): string[] {
    const key = headerKey(name);
    const split = isListHeader(key);
    const out: string[] = [];
    for (const h of this.headers) {
      if (headerKey(h.name) !== key) continue;
      if (!split || h.value.indexOf(',') < 0) {
        if (h.value.length > 0) out.push(h.value);
        continue;
      }
      for (const v of splitTopLevel(h.value, 0x2c)) if (v.length > 0) out.push(v);
    }
    return out;
  }

  hasHeader(name: string): boolean {
    const key = headerKey(name);
    for (const h of this.headers) if (headerKey(h.name) === key) return true;
    return false;
  }

  /** Number of header lines with this name (any spelling). */
  countHeader(name: string): number {
    const key = headerKey(name);
    let n = 0;
    for (const h of this.headers) if (headerKey(h.name) === key) n++;
    return n;
  }

  setHeader(name: string, value: string): void {
    const key = headerKey(name);
    const at = this.headers.findIndex((h) => headerKey(h.name) === key);
    if (at < 0) {
      this.headers.push({ name, value });
    } else {
      this.headers = this.headers.filter((h, i) => i <= at || headerKey(h.name) !== key);
      this.headers[at] = { name, value };
    }
    this.#invalidate();
  }

  addHeader(name: string, value: string): void {
    this.headers.push({ name, value });
    this.#invalidate();
  }

  prependHeader(name: string, value: string): void {
    this.headers.unshift({ name, value });
    this.#invalidate();
  }

  removeHeader(name: string): void {
    const key = headerKey(name);
    this.headers = this.headers.filter((h) => headerKey(h.name) !== key);
    this.#invalidate();
  }

  get callId(): string {
    if (this.#callId === undefined) this.#callId = this.getHeader('call-id') ?? '';
    return this.#callId;
  }

  /** { seq: 0, method: '' } when CSeq is absent or unreadable (the parser rejects bad ones). */
  get cseq(): CSeq {
    if (this.#cseq === undefined) this.#cseq = parseCSeq(this.getHeader('cseq') ?? '') ?? { seq: 0, method: '' };
    return this.#cseq;
  }

  get fromTag(): string | undefined {
    if (this.#fromTag === undefined) this.#fromTag = tagOf(this.getHeader('from'));
    return this.#fromTag ?? undefined;
  }

  get toTag(): string | undefined {
    if (this.#toTag === undefined) this.#toTag = tagOf(this.getHeader('to'));
    return this.#toTag ?? undefined;
  }

  topVia(): Via | undefined {
    if (this.#topVia === undefined) {
      const first = this.getHeader('via');
      let via: Via | undefined;
      if (first !== undefined) {
        const comma = first.indexOf(',');
        via = parseVia(comma < 0 ? first : (splitTopLevel(first, 0x2c)[0] ?? ''));
      }
      this.#topVia = via ?? null;
    }
    return this.#topVia ?? undefined;
  }

  #invalidate(): void {
    // Cheap enough to drop everything; keeps the bookkeeping obviously correct.
    this.#callId = undefined;
    this.#cseq = undefined;
    this.#fromTag = undefined;
    this.#toTag = undefined;
    this.#topVia = undefined;
  }
}

function tagOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const tag = getParam(value, 'tag');
  return tag === undefined || tag === '' ? null : tag;
}

const MAX_CSEQ = 0xffffffff;

/** CSeq = 1*DIGIT LWS Method; undefined when malformed or the number exceeds 2^32-1. */
export function parseCSeq(value: string): CSeq | undefined {
  const r = readCSeq(value);
  return typeof r === 'string' ? undefined : r;
}

/** Parsed CSeq, or a short description of what is wrong with it. */
export function readCSeq(value: string): CSeq | string {
  let i = 0;
  const n = value.length;
  while (i < n && (value.charCodeAt(i) === 0x20 || value.charCodeAt(i) === 0x09)) i++;
  const start = i;
  while (i < n && value.charCodeAt(i) >= 0x30 && value.charCodeAt(i) <= 0x39) i++;
  if (i === start) return 'CSeq number is not numeric';
  const digits = stripLeadingZeros(value.slice(start, i));
  const wsStart = i;
  while (i < n && (value.charCodeAt(i) === 0x20 || value.charCodeAt(i) === 0x09)) i++;
  if (i === wsStart) return 'CSeq is malformed';
  let end = n;
  while (end > i && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end--;
  const method = value.slice(i, end);
  if (!isToken(method)) return 'CSeq method is malformed';
  const seq = digits.length > 12 ? Infinity : Number(digits);
  if (seq > MAX_CSEQ) return 'CSeq number exceeds 2^32-1';
  return { seq, method };
}
