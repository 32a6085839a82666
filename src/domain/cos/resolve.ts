import type { CosDefinition, Tenant } from '../model.js';
import type { TimeSet } from '../schedule/time-set.js';
import { isTimeSetActive } from '../schedule/time-set.js';
import { buildEffectiveCos, type EffectiveCos } from './effective-cos.js';

/**
 * Resolves the effective CoS of `roots` at a moment, with a cache per tenant: the result only
 * depends on which of the schedules reachable from `roots` are active, so it is computed once per
 * combination and reused (load-time compilation in effect, without a restart on schedule changes).
 */
interface RootsEntry {
  readonly roots: readonly CosDefinition[];
  readonly schedules: readonly TimeSet[];
  readonly byActiveMask: Map<number, EffectiveCos>;
}

/** The active-schedule combination is a bit mask; beyond this many schedules, resolve without caching. */
const MAX_CACHED_SCHEDULES = 30;

const cacheByTenant = new WeakMap<Tenant, Map<string, RootsEntry>>();

/** `at` is epoch milliseconds, or `'always'` to treat every schedule as active (load-time analysis). */
export function resolveEffectiveCos(tenant: Tenant, roots: readonly CosDefinition[], at: number | 'always'): EffectiveCos {
  if (at === 'always') return buildEffectiveCos(tenant, roots, () => true);
  const entry = rootsEntry(tenant, roots);
  if (entry.schedules.length > MAX_CACHED_SCHEDULES) {
    return buildEffectiveCos(tenant, roots, (c) => c.schedule === undefined || isTimeSetActive(c.schedule, at));
  }
  let mask = 0;
  for (let i = 0; i < entry.schedules.length; i++) {
    if (isTimeSetActive(entry.schedules[i]!, at)) mask |= 1 << i;
  }
  let eff = entry.byActiveMask.get(mask);
  if (eff === undefined) {
    const active = new Set(entry.schedules.filter((_, i) => (mask & (1 << i)) !== 0));
    eff = buildEffectiveCos(tenant, roots, (c) => c.schedule === undefined || active.has(c.schedule));
    entry.byActiveMask.set(mask, eff);
  }
  return eff;
}

function rootsEntry(tenant: Tenant, roots: readonly CosDefinition[]): RootsEntry {
  let byRoots = cacheByTenant.get(tenant);
  if (byRoots === undefined) {
    byRoots = new Map();
    cacheByTenant.set(tenant, byRoots);
  }
  const key = roots.length === 1 ? roots[0]!.name : roots.map((r) => r.name).join('\u0000');
  let entry = byRoots.get(key);
  if (entry === undefined) {
    entry = { roots, schedules: reachableSchedules(roots), byActiveMask: new Map() };
    byRoots.set(key, entry);
  }
  return entry;
}

function reachableSchedules(roots: readonly CosDefinition[]): TimeSet[] {
  const found = new Set<TimeSet>();
  const seen = new Set<CosDefinition>();
  const walk = (c: CosDefinition): void => {
    if (seen.has(c)) return;
    seen.add(c);
    if (c.schedule !== undefined) found.add(c.schedule);
    c.includes.forEach(walk);
  };
  roots.forEach(walk);
  return [...found];
}
