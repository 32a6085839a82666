import type { CallScreening, Extension, NumberList, Tenant } from '../model.js';

export interface Refusal {
  readonly status: number;
  /** Which list refused, for logs and the route dry run. */
  readonly step: 'block-list' | 'ncos';
  readonly why: string;
}

/**
 * Does `list` let these numbers through? A blacklist refuses when any of them matches an entry; a
 * whitelist passes when any of them matches one (the dialled string or the number as the trunk
 * receives it: an entry may be written either way).
 */
export function listRefuses(list: NumberList | undefined, numbers: readonly string[]): string | undefined {
  if (list === undefined) return undefined;
  const hit = list.patterns.find((p) => numbers.some((n) => p.matches(n)));
  if (list.mode === 'blacklist') return hit === undefined ? undefined : `matches blacklist entry ${hit.source}`;
  return hit === undefined ? `matches no whitelist entry (${list.patterns.map((p) => p.source).join(' ') || 'empty list'})` : undefined;
}

/**
 * An outgoing call of `ext` (DOMAIN §7, [004]): the administrator's block list, the user's block
 * list, the administrator's NCOS level, the user's NCOS level, in that order; the first refusal
 * decides (so an administrator's blacklist entry beats a user's whitelist entry). Emergency calls
 * never come here.
 */
export function screenOutgoing(tenant: Tenant, ext: Extension, numbers: readonly string[]): Refusal | undefined {
  const steps: [Refusal['step'], string, NumberList | undefined][] = [
    ['block-list', "the administrator's outgoing block list", tenant.blockLists?.outgoing],
    ['block-list', `${ext.number}'s outgoing block list`, ext.blockLists?.outgoing],
    ['ncos', `administrator NCOS level ${ext.ncos?.admin?.name}`, ext.ncos?.admin],
    ['ncos', `user NCOS level ${ext.ncos?.user?.name}`, ext.ncos?.user],
  ];
  for (const [step, what, list] of steps) {
    const why = listRefuses(list, numbers);
    if (why !== undefined) return { status: 403, step, why: `${numbers[0]} ${why} of ${what}` };
  }
  return undefined;
}

/** Who calls in, as screening sees them. */
export interface IncomingCaller {
  /** Numbers the caller presents (extension number, caller ID number, carrier From user). */
  readonly numbers: readonly string[];
  /** From `anonymous` (display name or user) or `Privacy: id`. */
  readonly anonymous: boolean;
}

/**
 * A call to `ext`: anonymous callers first (433 Anonymity Disallowed, RFC 5079, when the
 * administrator or the user asks), then the administrator's incoming list, then the user's
 * (603 Decline: the callee refuses, no other target should be tried).
 */
export function screenIncoming(tenant: Tenant, ext: Extension, caller: IncomingCaller): Refusal | undefined {
  const levels: [string, CallScreening | undefined][] = [
    ["the administrator's", tenant.blockLists],
    [`${ext.number}'s`, ext.blockLists],
  ];
  if (caller.anonymous) {
    const by = levels.find(([, s]) => s?.rejectAnonymous === true);
    if (by !== undefined) return { status: 433, step: 'block-list', why: `anonymous callers are refused by ${by[0]} block list` };
  }
  for (const [who, s] of levels) {
    const why = caller.anonymous && s?.incoming?.mode === 'whitelist' ? 'is anonymous (no number to whitelist)' : listRefuses(s?.incoming, caller.numbers);
    if (why !== undefined) return { status: 603, step: 'block-list', why: `caller ${caller.numbers[0] ?? 'anonymous'} ${why} of ${who} incoming block list` };
  }
  return undefined;
}
