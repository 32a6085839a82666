/**
 * Typed codec for the pipe-separated leader line of wire-protocol payloads (protocol doc §1.3).
 * Token positions live here and nowhere else.
 */
import { randomUUID } from 'node:crypto';

export interface AppFrame {
  msgId: string;
  type: string;
  /** tokens after the type (token 2 onward) */
  args: string[];
  /** SIP text following the first CRLF, or '' */
  sip: string;
}

export function decodeAppFrame(payload: string): AppFrame {
  const cr = payload.indexOf('\r');
  const leader = cr === -1 ? payload : payload.slice(0, cr);
  const sip = cr === -1 ? '' : payload.slice(cr + 2);
  const tokens = leader.split('|');
  return { msgId: tokens[0] ?? '', type: tokens[1] ?? '', args: tokens.slice(2), sip };
}

export type WireProtocolName = 'udp' | 'tcp' | 'tls';

/** Metadata of a SIP message travelling in `sip` and `response` frames. */
export interface SipMeta {
  source: 'network' | 'application';
  bytes: number;
  protocol: WireProtocolName | 'unknown';
  address: string;
  port: number;
  time: string;
}

let timeMs = -1;
let timeText = '';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `HH:MM:SS.uuuuuu` (UTC) of now; formatted once per millisecond, not once per frame. */
export function wireTime(now = Date.now()): string {
  if (now !== timeMs) {
    const d = new Date(now);
    timeText = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds() * 1000, 6)}`;
    timeMs = now;
  }
  return timeText;
}

const CRLF = '\r\n';

/** §3.1 `sip` frame, server → app. `local` only for new out-of-dialog requests. */
export function sipFrame(meta: SipMeta, transactionId: string, dialogId: string, sipText: string, local?: { address: string; port: number }): string {
  const tail = local ? `${local.address}|${local.port}|` : '';
  return `${randomUUID()}|sip|${meta.source}|${meta.bytes}|${meta.protocol}|${meta.address}|${meta.port}|${meta.time}|${transactionId}|${dialogId}|${tail}${CRLF}${sipText}`;
}

export function okFrame(rid: string, ...details: string[]): string {
  return details.length ? `${randomUUID()}|response|${rid}|OK|${details.join('|')}` : `${randomUUID()}|response|${rid}|OK`;
}

export function failFrame(rid: string, literal: 'NOK' | 'NO', reason: string): string {
  return `${randomUUID()}|response|${rid}|${literal}|${reason.replace(/[|\r\n]/g, ' ')}`;
}

/** §3.2.2 echo of a request the app sent (also CANCEL, ACK, PRACK). */
export function requestSentFrame(rid: string, meta: SipMeta, transactionId: string, sipText: string): string {
  return `${randomUUID()}|response|${rid}|OK|application|${meta.bytes}|${meta.protocol}|${meta.address}|${meta.port}|${meta.time}|${transactionId}|Msg sent:|${CRLF}${sipText}`;
}

/** §3.2.3 echo of a response the app sent. */
export function responseSentFrame(rid: string, meta: SipMeta, transactionId: string, dialogId: string, sipText: string): string {
  return `${randomUUID()}|response|${rid}|OK|application|${meta.bytes}|${meta.protocol}|${meta.address}|${meta.port}|${meta.time}|${transactionId}|${dialogId}||Msg sent:|${CRLF}${sipText}`;
}

/** §7.3 proxy reply frames. */
export function proxyContinueFrame(rid: string, meta: SipMeta, sipText: string): string {
  return `${randomUUID()}|response|${rid}|OK|${meta.source}|${meta.bytes}|${meta.protocol}|${meta.address}|${meta.port}|${meta.time}|||continue${CRLF}${sipText}`;
}

export function proxyDoneFrame(rid: string): string {
  return `${randomUUID()}|response|${rid}|OK|done`;
}

export type CdrSource = 'network' | 'application';

/** §8 `cdr:attempt|source|time`, `cdr:start|…|role`, `cdr:stop|…|reason` frames, server → app (never answered). */
export function cdrFrame(kind: 'attempt' | 'start' | 'stop', source: CdrSource, detail: string | undefined, sipText: string): string {
  return `${randomUUID()}|cdr:${kind}|${source}|${wireTime()}${detail === undefined ? '' : `|${detail}`}${CRLF}${sipText}`;
}
