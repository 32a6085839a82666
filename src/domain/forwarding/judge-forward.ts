import type { Extension, Tenant } from '../model.js';
import type { OutboundRoute, RouteRule } from '../routing/decision.js';
import { decideRoute } from '../routing/decide.js';

/** A chain longer than this is refused even without a loop (100 → 101 → 102 → ...). */
export const MAX_FORWARD_HOPS = 5;

/** The forward target that means the forwarding extension's own mailbox. */
export const VOICEMAIL_TARGET = 'voicemail';

export type ForwardJudgement =
  | { readonly kind: 'extension'; readonly extension: string; readonly rule: RouteRule }
  | { readonly kind: 'outbound'; readonly route: OutboundRoute }
  | { readonly kind: 'huntGroup'; readonly group: string; readonly rule: RouteRule }
  | { readonly kind: 'voicemail'; readonly extension: string }
  | { readonly kind: 'refused'; readonly status: number; readonly why: string; readonly rule?: RouteRule };

/**
 * May `forwarder` deflect a call to `to`? The target is dialled with the FORWARDER's CoS (DOMAIN
 * §9: the party whose setting creates the leg is the one charged), never the caller's. `chain`
 * lists the extensions the call has already been forwarded from, first the one dialled: a target
 * in it is a loop. `voicemail` is the forwarder's own mailbox: it ends the chain, no CoS applies.
 */
export function judgeForward(tenant: Tenant, forwarder: Extension, to: string, at: number, chain: readonly string[]): ForwardJudgement {
  if (to === VOICEMAIL_TARGET) {
    return forwarder.voicemail !== undefined ? { kind: 'voicemail', extension: forwarder.number } : { kind: 'refused', status: 404, why: `${forwarder.number} has no mailbox (voicemail: { pin })` };
  }
  if (chain.length >= MAX_FORWARD_HOPS) return { kind: 'refused', status: 482, why: `more than ${MAX_FORWARD_HOPS} forwards: ${[...chain, to].join(' → ')}` };
  const d = decideRoute({ tenant, caller: { phone: forwarder, device: 1 }, dialled: to, at });
  switch (d.action) {
    case 'local':
      if (chain.includes(d.extension) || d.extension === forwarder.number) {
        return { kind: 'refused', status: 482, why: `forward loop: ${[...chain, d.extension].join(' → ')}`, rule: d.rule };
      }
      return { kind: 'extension', extension: d.extension, rule: d.rule };
    case 'outbound':
      return { kind: 'outbound', route: d };
    case 'huntGroup':
      return { kind: 'huntGroup', group: d.group, rule: d.rule };
    case 'reject':
      return { kind: 'refused', status: d.status, why: `${forwarder.number}'s CoS refuses ${to}: ${d.rule.detail}`, rule: d.rule };
    case 'emergency':
    case 'feature':
    case 'application':
      return { kind: 'refused', status: 403, why: `a forward may not target ${d.action === 'emergency' ? 'an emergency number' : `a ${d.action}`} (${to})`, rule: d.rule };
  }
}
