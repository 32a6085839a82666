/** RFC 3261 §16.7 step 6 as the protocol doc §7.2 orders it: lower rank wins. */
const PREFERRED_4XX = new Set([401, 407, 415, 420, 484]);

export function responseRank(status: number): number {
  if (status >= 600) return 0;
  if (PREFERRED_4XX.has(status)) return 1;
  if (status >= 400 && status < 500) return 2;
  if (status >= 500 && status < 600) return 3;
  return 4;
}

/** Index of the best of the stored final responses (earliest wins ties), -1 for none. */
export function bestResponse(statuses: readonly number[]): number {
  let best = -1;
  let bestRank = Infinity;
  for (let i = 0; i < statuses.length; i++) {
    const r = responseRank(statuses[i] as number);
    if (r < bestRank) {
      best = i;
      bestRank = r;
    }
  }
  return best;
}
