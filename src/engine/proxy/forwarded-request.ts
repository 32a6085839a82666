// Building the copies a proxy forwards (RFC 3261 §16.6) and the checks before it may (§16.3).
import { headerKey } from '../../sip/header-names.js';
import { splitTopLevel } from '../../sip/lex.js';
import { parseNameAddr, parseUri, parseVia, type SipHeader, type SipMessage } from '../../sip/index.js';
import type { Core } from '../core/contexts.js';
import { fnv32, loopHashOf } from './branch-ids.js';

/** The message with its top Via value removed (a combined `Via: a, b` line keeps `b`), as a new object. */
export function withoutTopVia(msg: SipMessage): SipMessage {
  const m = msg.clone(); // a fresh clone has no cached header fields, so editing the array directly is safe
  const at = m.headers.findIndex((h) => headerKey(h.name) === 'via');
  if (at < 0) return m;
  const h = m.headers[at] as SipHeader;
  const rest = h.value.indexOf(',') < 0 ? [] : splitTopLevel(h.value, 0x2c).slice(1);
  if (rest.length === 0) m.headers.splice(at, 1);
  else m.headers[at] = { name: h.name, value: rest.join(', ') };
  return m;
}

/** Max-Forwards value: 70 when absent, NaN when unreadable. */
export function maxForwardsOf(req: SipMessage): number {
  const v = req.getHeader('Max-Forwards');
  return v === undefined ? 70 : Number.parseInt(v, 10);
}

/** Identifies "this request at this hop" for loop detection (§16.6 step 8 inputs, minus the volatile ones). */
export function loopHash(req: SipMessage, branchBelow: string): string {
  return fnv32(`${req.uri}\u0000${req.callId}\u0000${req.fromTag ?? ''}\u0000${req.toTag ?? ''}\u0000${req.cseq.seq}\u0000${branchBelow}`);
}

/** §16.3 step 4: one of our own Vias carries the branch we would compute for this very request again. */
export function isLoop(core: Core, req: SipMessage): boolean {
  const vias = req.getHeaderValues('Via');
  for (let i = 0; i < vias.length; i++) {
    const v = parseVia(vias[i] as string);
    const hash = loopHashOf(v?.branch);
    if (!v || !hash) continue;
    const host = v.host.startsWith('[') ? v.host.slice(1, -1) : v.host;
    if (!core.isLocal(host, v.port ?? 5060)) continue;
    const below = vias[i + 1] ? (parseVia(vias[i + 1] as string)?.branch ?? '') : '';
    if (loopHash(req, below) === hash) return true;
  }
  return false;
}

/** True when a SIP URI (or name-addr) names one of our listen points. */
export function namesUs(core: Core, value: string): boolean {
  const uri = parseUri(value.charCodeAt(0) === 0x3c || value.includes('<') ? (parseNameAddr(value)?.uri ?? '') : value);
  if (!uri || (uri.scheme !== 'sip' && uri.scheme !== 'sips')) return false;
  const host = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
  if (host.toLowerCase() === 'localhost') return true;
  return core.isLocal(host, uri.port ?? (uri.scheme === 'sips' ? 5061 : 5060));
}

/**
 * What every branch shares: pre-loaded Route naming us removed, Max-Forwards decremented,
 * the app's extra headers set (they never replace engine-owned ones, see passThroughHeaders).
 */
export function forwardBase(core: Core, incoming: SipMessage, maxForwards: number, extra: readonly SipHeader[]): SipMessage {
  const base = incoming.clone();
  const route = base.getHeaderValues('Route')[0];
  if (route && namesUs(core, route)) popTopRoute(base);
  base.setHeader('Max-Forwards', String(maxForwards - 1));
  for (const h of extra) base.setHeader(h.name, h.value);
  return base;
}

/** Removes the first Route value. */
export function popTopRoute(msg: SipMessage): void {
  const values = msg.getHeaderValues('Route');
  msg.removeHeader('Route');
  for (const r of values.slice(1)) msg.addHeader('Route', r);
}

/** One branch's copy (§16.6 steps 2, 6, 8): R-URI, Record-Route on top, our Via on top. */
export function branchRequest(base: SipMessage, ruri: string, via: string, recordRoute: string | undefined): SipMessage {
  const req = base.clone();
  req.uri = ruri;
  if (recordRoute) req.prependHeader('Record-Route', recordRoute);
  req.prependHeader('Via', via);
  return req;
}
