import type { AppContext } from '../../app/context.js';
import type { CallServices } from '../../app/calls/services.js';

/** A carrier trunk as the admin API shows it: watchdog health, outbound registration, limits. */
export interface TrunkView {
  tenant: string;
  trunk: string;
  health: string;
  healthChangedAt: string;
  activeCalls: number;
  /** concurrent calls through the trunk across instances (Redis) and its maximum */
  limit?: { active: number; max?: number };
  registration?: { state: string; failures: number; lastStatus?: number; expiresAt?: string };
  /** false when an operator took the trunk out of service (calls skip it) */
  inService: boolean;
  outOfService?: { since: string; by: string; reason?: string };
}

export async function listTrunks(ctx: AppContext, services: Pick<CallServices, 'trunks' | 'registrations'>): Promise<TrunkView[]> {
  const limits = await services.trunks.limits.snapshot().catch(() => []);
  const registrations = services.registrations.all();
  const oos = new Map<string, Awaited<ReturnType<typeof services.trunks.outOfService>>>();
  for (const tenant of ctx.config.tenants.keys()) oos.set(tenant, await services.trunks.outOfService(tenant));
  return services.trunks.all().map((t) => {
    const out = oos.get(t.tenant)?.get(t.trunk);
    const limit = limits.find((l) => l.scope === 'trunk' && l.tenant === t.tenant && l.trunk === t.trunk);
    const reg = registrations.find((r) => r.tenant === t.tenant && r.trunk === t.trunk);
    return {
      tenant: t.tenant,
      trunk: t.trunk,
      health: t.health,
      healthChangedAt: new Date(t.changedAt).toISOString(),
      activeCalls: t.activeCalls,
      inService: out === undefined,
      ...(out && { outOfService: { since: new Date(out.since).toISOString(), by: out.by, ...(out.reason !== undefined && { reason: out.reason }) } }),
      ...(limit && { limit: { active: limit.active, ...(limit.max !== undefined && { max: limit.max }) } }),
      ...(reg && {
        registration: {
          state: reg.state,
          failures: reg.failures,
          ...(reg.lastStatus !== undefined && { lastStatus: reg.lastStatus }),
          ...(reg.expiresAt !== undefined && { expiresAt: new Date(reg.expiresAt).toISOString() }),
        },
      }),
    };
  });
}
