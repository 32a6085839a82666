// Wire bytes -> SipMessage (RFC 3261 §7, §18.3). Never throws.
import { findHeaderEnd, interpretContentLength, skipLeadingCrlf } from './framing.js';
import { headerKey } from './header-names.js';
import { isToken, trimLws } from './lex.js';
import { readCSeq, SipMessage, type SipHeader } from './message.js';
import { parseStartLine } from './start-line.js';

export interface SipParseError {
  status: number;
  reason: string;
  isRequest: boolean | undefined;
  partial?: SipMessage;
  fatalForStream: boolean;
}

export type ParseResult = { ok: true; msg: SipMessage; length: number } | { ok: false; error: SipParseError };

export interface ParseOptions {
  maxSize: number;
  datagram: boolean;
  /** Limit for start line + headers; defaults to maxSize. */
  maxHeaderSize?: number;
  /**
   * A message an application handed the engine, which fills in Via/From/To/... itself:
   * responses are not required to carry the mandatory headers.
   */
  fromApp?: boolean;
}

const TOO_LARGE = 'Message Too Large';

function fail(status: number, reason: string, isRequest: boolean | undefined, fatalForStream: boolean, partial?: SipMessage): ParseResult {
  const error: SipParseError = { status, reason, isRequest, fatalForStream };
  if (partial) error.partial = partial;
  return { ok: false, error };
}

export function parseMessage(buf: Buffer, opts: ParseOptions): ParseResult {
  try {
    return parseUnsafe(buf, opts);
  } catch {
    return fail(400, 'Bad Request - Unparseable message', undefined, !opts.datagram);
  }
}

interface HeaderScan {
  headers: SipHeader[];
  contentLengths: string[];
  cseq: string | undefined;
  /** Bit set of mandatory headers seen (see MANDATORY). */
  seen: number;
  error: string | undefined;
}

const MANDATORY: Readonly<Record<string, number>> = { via: 1, from: 2, to: 4, 'call-id': 8, cseq: 16 };
const ALL_MANDATORY = 31;

function pushHeader(scan: HeaderScan, name: string, value: string): void {
  scan.headers.push({ name, value });
  const key = headerKey(name);
  const bit = MANDATORY[key];
  if (bit !== undefined) {
    scan.seen |= bit;
    if (key === 'cseq' && scan.cseq === undefined) scan.cseq = value;
  } else if (key === 'content-length') {
    scan.contentLengths.push(value);
  }
}

/** Single pass over the header lines; malformed lines are skipped but remembered. */
function scanHeaders(text: string, from: number): HeaderScan {
  const scan: HeaderScan = { headers: [], contentLengths: [], cseq: undefined, seen: 0, error: undefined };
  let name: string | undefined;
  let value = '';
  let pos = from;
  const n = text.length;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    const end = nl > pos && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    const c0 = text.charCodeAt(pos);
    if (c0 === 0x20 || c0 === 0x09) {
      const piece = trimLws(text.slice(pos, end));
      if (name === undefined) scan.error ??= 'Bad Request - Continuation line without a header';
      else if (piece.length > 0) value = value.length > 0 ? `${value} ${piece}` : piece;
    } else {
      if (name !== undefined) pushHeader(scan, name, value);
      name = undefined;
      const colon = text.indexOf(':', pos);
      if (colon < 0 || colon >= end) {
        scan.error ??= 'Bad Request - Malformed header line';
      } else {
        let ne = colon;
        while (ne > pos && (text.charCodeAt(ne - 1) === 0x20 || text.charCodeAt(ne - 1) === 0x09)) ne--;
        const raw = text.slice(pos, ne);
        if (isToken(raw)) {
          name = raw;
          value = trimLws(text.slice(colon + 1, end));
        } else {
          scan.error ??= 'Bad Request - Malformed header name';
        }
      }
    }
    pos = nl + 1;
  }
  if (name !== undefined) pushHeader(scan, name, value);
  return scan;
}

function parseUnsafe(buf: Buffer, opts: ParseOptions): ParseResult {
  const stream = !opts.datagram;
  const maxHeader = Math.min(opts.maxHeaderSize ?? opts.maxSize, opts.maxSize);
  const start = skipLeadingCrlf(buf, 0);
  if (start >= buf.length) return fail(400, 'Bad Request - Empty message', undefined, false);

  let end = findHeaderEnd(buf, start);
  if (end === undefined) {
    if (buf.length - start > maxHeader) return fail(413, TOO_LARGE, undefined, true);
    if (stream) return fail(400, 'Bad Request - Incomplete header section', undefined, true);
    // A datagram may end right after the last header line (no empty line).
    end = { headEnd: buf.length, bodyStart: buf.length };
  }
  if (end.headEnd - start > maxHeader) return fail(413, TOO_LARGE, undefined, true);

  const text = buf.toString('utf8', start, end.headEnd);
  let lineEnd = text.indexOf('\n');
  if (lineEnd < 0) lineEnd = text.length;
  const sl = parseStartLine(text.slice(0, text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd));
  if (sl.kind === 'error' && sl.isRequest === undefined) return fail(400, sl.reason, undefined, false);
  const isRequest = sl.kind === 'request' || (sl.kind === 'error' && sl.isRequest === true);

  const scan = scanHeaders(text, lineEnd + 1);
  const msg = new SipMessage();
  msg.headers = scan.headers;
  if (sl.kind === 'request') {
    msg.method = sl.method;
    msg.uri = sl.uri;
    msg.version = sl.version;
  } else if (sl.kind === 'response') {
    msg.status = sl.status;
    msg.reason = sl.reason;
    msg.version = sl.version;
  }
  // A response whose status line is unreadable cannot be represented faithfully: no partial.
  const partial = sl.kind === 'error' && !isRequest ? undefined : msg;

  const cl = interpretContentLength(scan.contentLengths);
  if (cl.kind === 'invalid') return fail(400, `Bad Request - ${cl.reason}`, isRequest, true, partial);
  let bodyEnd: number;
  if (cl.kind === 'missing') {
    if (stream) return fail(400, 'Bad Request - Missing Content-Length', isRequest, true, partial);
    bodyEnd = buf.length;
  } else {
    bodyEnd = end.bodyStart + cl.value;
    if (bodyEnd - start > opts.maxSize) return fail(413, TOO_LARGE, isRequest, true, partial);
    if (bodyEnd > buf.length) {
      return fail(400, 'Bad Request - Content-Length exceeds message size', isRequest, stream, partial);
    }
  }
  if (bodyEnd - start > opts.maxSize) return fail(413, TOO_LARGE, isRequest, stream, partial);
  msg.body = buf.subarray(end.bodyStart, bodyEnd);

  if (sl.kind === 'error') return fail(sl.status, sl.reason, isRequest, false, partial);
  if (scan.error !== undefined) return fail(400, scan.error, isRequest, false, partial);
  if (scan.cseq !== undefined) {
    const cseq = readCSeq(scan.cseq);
    if (typeof cseq === 'string') return fail(400, `Bad Request - ${cseq}`, isRequest, false, partial);
  }
  if (!isRequest && !opts.fromApp && scan.seen !== ALL_MANDATORY) {
    return fail(400, 'Bad Request - Response lacks a mandatory header', false, false, partial);
  }
  return { ok: true, msg, length: bodyEnd };
}
