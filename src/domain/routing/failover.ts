import type { FailoverStatus, Trunk } from '../model.js';

/** How an attempt on one trunk ended. */
export type TrunkAttemptOutcome =
  { readonly kind: 'timeout' } | { readonly kind: 'transport-error' } | { readonly kind: 'trunk-down' } | { readonly kind: 'response'; readonly status: number; readonly earlyMedia?: boolean };

export const DEFAULT_FAILOVER_ON: readonly FailoverStatus[] = [408, '5xx'];
export const DEFAULT_NO_FAILOVER_ON: readonly FailoverStatus[] = [404, 484, 486, 487, 600, 603];

/**
 * DOMAIN §6/§9: move to the next trunk when the carrier is broken (no answer in time, transport
 * error, marked down, 408, 5xx), never when the callee refused or after early media (the callee
 * must not ring twice). An exact status in either list beats a class (`5xx`); between two exact
 * (or two class) entries, "no failover" wins.
 */
export function shouldFailover(trunk: Pick<Trunk, 'failoverOn' | 'noFailoverOn'>, outcome: TrunkAttemptOutcome): boolean {
  if (outcome.kind !== 'response') return true;
  if (outcome.earlyMedia === true) return false;
  const s = outcome.status;
  if (s < 300) return false;
  const cls = `${Math.floor(s / 100)}xx`;
  if (trunk.noFailoverOn.includes(s)) return false;
  if (trunk.failoverOn.includes(s)) return true;
  if (trunk.noFailoverOn.some((x) => x === cls)) return false;
  return trunk.failoverOn.some((x) => x === cls);
}
