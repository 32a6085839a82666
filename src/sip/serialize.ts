// SipMessage -> wire bytes. Content-Length is always computed from the body.
import { headerKey } from './header-names.js';
import type { SipMessage } from './message.js';

const CRLF_RE = /[\r\n]+/g;

// Header values come from the application too: a stray CR/LF must not inject header lines.
function clean(s: string): string {
  return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : s.replace(CRLF_RE, ' ');
}

export function serializeMessage(msg: SipMessage): Buffer {
  let head = msg.isRequest ? `${clean(msg.method)} ${clean(msg.uri)} SIP/2.0\r\n` : `SIP/2.0 ${msg.status} ${clean(msg.reason)}\r\n`;
  for (const h of msg.headers) {
    if (headerKey(h.name) === 'content-length') continue;
    head += `${clean(h.name)}: ${clean(h.value)}\r\n`;
  }
  const body = msg.body;
  head += `Content-Length: ${body.length}\r\n\r\n`;
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLen);
  return out;
}
