// Byte-level framing helpers shared by parseMessage and StreamFramer.
import { isDigits, stripLeadingZeros, trimLws } from './lex.js';

export interface HeaderEnd {
  /** Offset of the LF that ends the last header line (exclusive end of header text). */
  headEnd: number;
  /** First body byte. */
  bodyStart: number;
}

/** Skips CR/LF bytes (keep-alives, RFC 3261 §7.5 leading CRLFs). */
export function skipLeadingCrlf(buf: Buffer, from: number): number {
  let i = from;
  while (i < buf.length && (buf[i] === 13 || buf[i] === 10)) i++;
  return i;
}

/**
 * Finds the empty line closing the header section (CRLF CRLF, leniently also LF LF)
 * at or after `start`. Returns undefined if not found in `buf`.
 */
export function findHeaderEnd(buf: Buffer, start: number): HeaderEnd | undefined {
  let i = start;
  for (;;) {
    const nl = buf.indexOf(10, i);
    if (nl < 0) return undefined;
    const n1 = buf[nl + 1];
    if (n1 === 10) return { headEnd: nl, bodyStart: nl + 2 };
    if (n1 === 13 && buf[nl + 2] === 10) return { headEnd: nl, bodyStart: nl + 3 };
    i = nl + 1;
  }
}

export type ContentLength = { kind: 'ok'; value: number } | { kind: 'missing' } | { kind: 'invalid'; reason: string };

/** Longest Content-Length we accept as a number at all; anything longer is rejected outright. */
const MAX_CL_DIGITS = 10;

/** Interprets every Content-Length value seen (duplicates must agree). */
export function interpretContentLength(values: readonly string[]): ContentLength {
  if (values.length === 0) return { kind: 'missing' };
  let result = -1;
  for (const raw of values) {
    const v = trimLws(raw);
    if (v.length > 0 && v.charCodeAt(0) === 0x2d) return { kind: 'invalid', reason: 'Negative Content-Length' };
    if (!isDigits(v)) return { kind: 'invalid', reason: 'Invalid Content-Length' };
    const digits = stripLeadingZeros(v);
    if (digits.length > MAX_CL_DIGITS) return { kind: 'invalid', reason: 'Content-Length too large' };
    const n = Number(digits);
    if (result >= 0 && n !== result) return { kind: 'invalid', reason: 'Conflicting Content-Length values' };
    result = n;
  }
  return { kind: 'ok', value: result };
}

function isClName(line: string, colon: number): boolean {
  let end = colon;
  while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
  if (end === 1) return (line.charCodeAt(0) | 0x20) === 0x6c; // 'l'
  return end === 14 && line.slice(0, 14).toLowerCase() === 'content-length';
}

/** Content-Length values in a raw header block (start line included; folding honoured). */
export function contentLengthValues(head: string): string[] {
  const values: string[] = [];
  let current = -1; // index into values of the CL header being continued, or -1
  let pos = head.indexOf('\n') + 1; // skip start line
  if (pos === 0) return values;
  while (pos < head.length) {
    let nl = head.indexOf('\n', pos);
    if (nl < 0) nl = head.length;
    const line = head.slice(pos, nl);
    pos = nl + 1;
    const c0 = line.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      if (current >= 0) values[current] = `${values[current] ?? ''} ${trimLws(line)}`;
      continue;
    }
    current = -1;
    const colon = line.indexOf(':');
    if (colon > 0 && isClName(line, colon)) {
      current = values.length;
      values.push(line.slice(colon + 1));
    }
  }
  return values;
}
