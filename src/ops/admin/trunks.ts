import type { AppContext } from '../../app/context.js';
import { callServices } from '../../app/calls/services.js';

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
}

export async function listTrunks(ctx: AppContext): Promise<TrunkView[]> {
  const services = callServices(ctx);
  const limits = await services.trunks.limits.snapshot().catch(() => []);
  const registrations = services.registrations.all();
  return services.trunks.all().map((t) => {
    const limit = limits.find((l) => l.scope === 'trunk' && l.tenant === t.tenant && l.trunk === t.trunk);
    const reg = registrations.find((r) => r.tenant === t.tenant && r.trunk === t.trunk);
    return {
      tenant: t.tenant,
      trunk: t.trunk,
      health: t.health,
      healthChangedAt: new Date(t.changedAt).toISOString(),
      activeCalls: t.activeCalls,
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
