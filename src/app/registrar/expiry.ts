/** Registration interval policy (RFC 3261 §10.2.1.1, §10.3 step 7). Seconds. */
export interface ExpiryPolicy {
  minSeconds: number;
  maxSeconds: number;
  defaultSeconds: number;
  /** Added to the store TTL so a late refresh still finds, and extends, its binding. */
  graceSeconds: number;
}

export const DEFAULT_EXPIRY_POLICY: ExpiryPolicy = {
  minSeconds: 60,
  maxSeconds: 3600,
  defaultSeconds: 120,
  graceSeconds: 30,
};

const DELTA_SECONDS = /^\s*(\d{1,10})\s*$/;

/** Parses a delta-seconds value; undefined when absent or malformed (treated as not sent). */
export function parseDeltaSeconds(raw: string | number | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 0 ? raw : undefined;
  const m = DELTA_SECONDS.exec(raw);
  return m ? Number(m[1]) : undefined;
}

export type ExpiryVerdict = { kind: 'remove' } | { kind: 'too-brief' } | { kind: 'grant'; seconds: number };

/** The contact's `expires` param wins over the Expires header, which wins over the default. */
export function decideExpiry(contactParam: number | undefined, header: number | undefined, policy: ExpiryPolicy): ExpiryVerdict {
  const requested = contactParam ?? header ?? policy.defaultSeconds;
  if (requested === 0) return { kind: 'remove' };
  if (requested < policy.minSeconds) return { kind: 'too-brief' };
  return { kind: 'grant', seconds: Math.min(requested, policy.maxSeconds) };
}
