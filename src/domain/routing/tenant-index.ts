import type { Application, CosDefinition, EmergencyLine, FeatureCode, HuntGroup, Tenant } from '../model.js';

/** Lookup tables derived from a tenant once and kept for its lifetime. */
export interface TenantIndex {
  readonly emergencyByNumber: ReadonlyMap<string, EmergencyLine>;
  readonly featureByCode: ReadonlyMap<string, FeatureCode>;
  /** Features taking an argument, longest code first so `*721` wins over `*72`. */
  readonly argumentFeatures: readonly FeatureCode[];
  readonly applicationByNumber: ReadonlyMap<string, Application>;
  readonly huntGroupByNumber: ReadonlyMap<string, HuntGroup>;
  readonly cosByPin: ReadonlyMap<string, CosDefinition>;
}

const indexes = new WeakMap<Tenant, TenantIndex>();

export function tenantIndex(tenant: Tenant): TenantIndex {
  let idx = indexes.get(tenant);
  if (idx === undefined) {
    idx = buildIndex(tenant);
    indexes.set(tenant, idx);
  }
  return idx;
}

function buildIndex(tenant: Tenant): TenantIndex {
  const emergencyByNumber = new Map<string, EmergencyLine>();
  for (const e of tenant.emergencyLines) if (!emergencyByNumber.has(e.number)) emergencyByNumber.set(e.number, e);
  const cosByPin = new Map<string, CosDefinition>();
  for (const cos of tenant.cos.values()) for (const pin of cos.pinCodes) cosByPin.set(pin, cos);
  return {
    emergencyByNumber,
    featureByCode: new Map(tenant.features.map((f) => [f.code, f])),
    argumentFeatures: tenant.features.filter((f) => f.argument).sort((a, b) => b.code.length - a.code.length),
    applicationByNumber: new Map([...tenant.applications.values()].map((a) => [a.number, a])),
    huntGroupByNumber: new Map([...tenant.huntGroups.values()].map((g) => [g.number, g])),
    cosByPin,
  };
}
