import type { Extension } from '../model.js';
import type { RouteDecision } from '../routing/decision.js';
import type { CallingParty } from '../routing/caller.js';

/** Why a call is recorded (DOMAIN §8, [001] "record all outgoing calls" on emergency lines). */
export type RecordReason = 'emergency line' | 'caller extension' | 'caller CoS' | 'callee extension';

/**
 * Whether a call is recorded, and why: the emergency line's `record`, then the calling
 * extension's own setting (a logged-in hot-desk guest's, not the phone's), then its CoS, then the
 * called extension's. Undefined: not recorded.
 */
export function recordReason(decision: RouteDecision, caller: CallingParty | undefined, callee: Extension | undefined): RecordReason | undefined {
  if (decision.action === 'emergency' && decision.record) return 'emergency line';
  const who = caller && (caller.hotDeskUser ?? caller.phone);
  if (who?.record) return 'caller extension';
  if (who?.cos.record) return 'caller CoS';
  if (callee?.record) return 'callee extension';
  return undefined;
}
