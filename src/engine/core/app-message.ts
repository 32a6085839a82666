import { parseMessage, type SipMessage } from '../../sip/index.js';

const SEP = '\r\n\r\n';

/**
 * Parses the SIP text an app sent. The app's Content-Length is ignored (srf counts UTF-16
 * units, §4.1): the body is everything after the first blank line.
 */
export function parseAppMessage(text: string, maxSize: number): SipMessage | string {
  const idx = text.indexOf(SEP);
  const head = idx === -1 ? text.replace(/(\r\n)+$/, '') : text.slice(0, idx);
  const body = idx === -1 ? '' : text.slice(idx + SEP.length);
  const headBuf = Buffer.from(`${head.replace(/\r\n[lL](?:ength)?\s*:[^\r]*|\r\nContent-Length\s*:[^\r]*/gi, '')}${SEP}`, 'utf8');
  const r = parseMessage(headBuf, { maxSize, datagram: true, fromApp: true });
  if (!r.ok) return r.error.reason;
  r.msg.body = Buffer.from(body, 'utf8');
  return r.msg;
}
