// In-dialog requests of a record-routed proxied call and their responses (protocol doc §7.2 step 11):
// forwarded statelessly (RFC 3261 §16.11); the app never sees them.
import { isIP } from 'node:net';
import { generateTag, parseNameAddr, parseUri, serializeMessage, type SipMessage, type Via } from '../../sip/index.js';
import type { Core } from '../core/contexts.js';
import { defaultPort, hopForUri } from '../core/dialog-hop.js';
import { hostPort } from '../core/local-point.js';
import { responseTo } from '../core/message-factory.js';
import { responseHop } from '../core/response-hop.js';
import type { Inbound } from '../transport/types.js';
import { isStatelessBranch, statelessBranch } from './branch-ids.js';
import { maxForwardsOf, namesUs, popTopRoute, withoutTopVia } from './forwarded-request.js';

/** A request whose top Route names us and that matches no dialog of ours: pop the Route, forward. True when taken. */
export function relayLooseRouted(core: Core, req: SipMessage, inbound: Inbound): boolean {
  const top = req.getHeaderValues('Route')[0];
  if (!top || !namesUs(core, top)) return false;
  const toTag = req.toTag;
  if (!toTag || core.dialogs.match(req.callId, toTag, req.fromTag ?? '')) return false;
  const via = req.topVia();
  if (!via) return false;
  const mf = maxForwardsOf(req);
  if (!(mf > 0)) {
    if (req.method !== 'ACK') replyStatelessly(core, req, via, inbound, 483);
    return true;
  }
  const fwd = req.clone();
  popTopRoute(fwd);
  fwd.setHeader('Max-Forwards', String(mf - 1));
  const next = fwd.getHeaderValues('Route')[0];
  const nextUri = parseUri(next ? (parseNameAddr(next)?.uri ?? '') : fwd.uri);
  if (!nextUri) return true;
  const vias = req.getHeaderValues('Via');
  vias[0] = stamped(vias[0] ?? '', via, inbound);
  hopForUri(core, nextUri, inbound.remote.transport)
    .then((hop) => {
      const local = core.localPoint(hop.transport);
      if (!local) return;
      const ours = `SIP/2.0/${local.transport.toUpperCase()} ${hostPort(local)};branch=${statelessBranch(via.branch ?? '', req.method, req.uri)};rport`;
      fwd.removeHeader('Via');
      for (let i = vias.length - 1; i >= 0; i--) fwd.prependHeader('Via', vias[i] as string);
      fwd.prependHeader('Via', ours);
      core.sender.send(hop, serializeMessage(fwd));
    })
    .catch((err: unknown) => core.log.info({ callId: req.callId, err: (err as Error).message }, 'in-dialog request could not be relayed'));
  return true;
}

/** A response to a request we relayed statelessly: pop our Via, send it to the next Via. True when taken. */
export function relayStatelessResponse(core: Core, res: SipMessage): boolean {
  const top = res.topVia();
  if (!top || !isStatelessBranch(top.branch)) return false;
  const out = withoutTopVia(res);
  const next = out.topVia();
  if (!next) return true;
  const host = next.received ?? (next.host.startsWith('[') ? next.host.slice(1, -1) : next.host);
  if (!isIP(host) || host === '255.255.255.255' || host === '0.0.0.0') return true;
  const transport = next.transport === 'TCP' ? 'tcp' : next.transport === 'TLS' ? 'tls' : 'udp';
  const port = typeof next.rport === 'number' ? next.rport : (next.port ?? defaultPort(transport));
  core.sender.send(core.hopFor({ transport, address: host, port }), serializeMessage(out));
  return true;
}

/** received/rport on the Via we keep; rport always over TCP/TLS so the response finds the connection back. */
function stamped(value: string, via: Via, inbound: Inbound): string {
  let v = value;
  const { address, port, transport } = inbound.remote;
  if (via.rport === null) v = v.replace(/;\s*rport\b(?!\s*=)/i, `;rport=${port}`);
  else if (via.rport === undefined && transport !== 'udp') v += `;rport=${port}`;
  if (via.host !== address && via.received === undefined) v += `;received=${address}`;
  return v;
}

function replyStatelessly(core: Core, req: SipMessage, via: Via, inbound: Inbound, status: number): void {
  const vias = req.getHeaderValues('Via');
  vias[0] = stamped(vias[0] ?? '', via, inbound);
  const res = responseTo(req, vias, status, undefined, generateTag());
  core.sender.send(responseHop(core, inbound, via.port, via.rport === null), serializeMessage(res));
}
