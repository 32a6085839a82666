import { SipMessage } from '../../sip/index.js';

/**
 * A request that belongs to the INVITE's transaction hop (RFC 3261 §9.1 CANCEL, §17.1.1.3 ACK for
 * a non-2xx): same Request-URI, top Via, Route set, From, Call-ID and CSeq number.
 */
export function hopByHopRequest(invite: SipMessage, method: 'ACK' | 'CANCEL', to: string): SipMessage {
  const req = new SipMessage();
  req.method = method;
  req.uri = invite.uri;
  const via = invite.getHeaderValues('Via')[0];
  if (via) req.addHeader('Via', via);
  for (const route of invite.getHeaderValues('Route')) req.addHeader('Route', route);
  req.addHeader('Max-Forwards', '70');
  req.addHeader('From', invite.getHeader('From') ?? '');
  req.addHeader('To', to);
  req.addHeader('Call-ID', invite.callId);
  req.addHeader('CSeq', `${invite.cseq.seq} ${method}`);
  return req;
}
