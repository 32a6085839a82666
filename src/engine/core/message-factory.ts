import { generateBranch, getParam, parseNameAddr, reasonPhrase, SipMessage, type Via } from '../../sip/index.js';
import type { Dialog } from '../dialog/dialog.js';
import { hopByHopRequest } from '../transaction/hop-by-hop-request.js';
import type { Inbound } from '../transport/types.js';
import { hostPort, type LocalPoint } from './local-point.js';

/** RFC 3261 §18.2.1 / RFC 3581: the top Via as our responses must carry it. */
export function stampedVias(req: SipMessage, via: Via, inbound: Inbound): string[] {
  const vias = req.getHeaderValues('Via');
  let top = vias[0] ?? '';
  const rportAsked = via.rport === null;
  if (rportAsked) top = top.replace(/;\s*rport\b(?!\s*=)/i, `;rport=${inbound.remote.port}`);
  if (rportAsked || via.host !== inbound.remote.address) top += `;received=${inbound.remote.address}`;
  vias[0] = top;
  return vias;
}

/** A response carrying the request's Via list, From, To (with our tag), Call-ID and CSeq (RFC 3261 §8.2.6). */
export function responseTo(req: SipMessage, vias: string[], status: number, reason: string | undefined, toTag: string | undefined): SipMessage {
  const res = new SipMessage();
  res.status = status;
  res.reason = reason ?? reasonPhrase(status);
  for (const v of vias) res.addHeader('Via', v);
  res.addHeader('From', req.getHeader('From') ?? '');
  const to = req.getHeader('To') ?? '';
  res.addHeader('To', toTag && status > 100 && !getParam(to, 'tag') ? `${to};tag=${toTag}` : to);
  res.addHeader('Call-ID', req.callId);
  res.addHeader('CSeq', req.getHeader('CSeq') ?? '');
  return res;
}

/** The Request-URI in a name-addr or addr-spec value. */
export function uriOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return parseNameAddr(value)?.uri;
}

/** A request inside a dialog (RFC 3261 §12.2.1.1), without body or app headers. */
export function inDialogRequest(d: Dialog, method: string, uri: string, seq: number, local: LocalPoint): SipMessage {
  const req = new SipMessage();
  req.method = method;
  req.uri = uri;
  req.addHeader('Via', `SIP/2.0/${local.transport.toUpperCase()} ${hostPort(local)};branch=${generateBranch()};rport`);
  for (const r of d.routeSet) req.addHeader('Route', r);
  req.addHeader('Max-Forwards', '70');
  req.addHeader('From', d.localParty);
  req.addHeader('To', d.remoteParty);
  req.addHeader('Call-ID', d.callId);
  req.addHeader('CSeq', `${seq} ${method}`);
  return req;
}

/** The BYE the engine sends on its own (§6.7) with the Reason srf extracts. */
export function engineBye(d: Dialog, text: string): SipMessage {
  const target = d.remoteTarget ?? `sip:${d.peer.address}:${d.peer.port}`;
  const bye = inDialogRequest(d, 'BYE', target, d.nextLocalSeq(), d.local);
  bye.addHeader('Reason', `SIP ;cause=200 ;text="${text}"`);
  return bye;
}

/** RFC 3261 §9.1: CANCEL with the INVITE's top Via, Route set, From, To, Call-ID and CSeq number. */
export function cancelFor(invite: SipMessage): SipMessage {
  return hopByHopRequest(invite, 'CANCEL', invite.getHeader('To') ?? '');
}
