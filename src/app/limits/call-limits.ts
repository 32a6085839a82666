import type { Logger } from 'pino';
import type { Tenant } from '../../domain/index.js';
import type { CallCounterStore, LimitCheck } from '../../store/call-counter-store.js';

export type CallDirection = 'inbound' | 'outbound';

/** A taken call slot; `release` is idempotent and never throws (a failed release is logged). */
export interface CallSlot {
  release(): void;
}

export type TenantAcquire = { readonly ok: true; readonly slot: CallSlot } | { readonly ok: false; readonly limit: 'inbound' | 'outbound' | 'total'; readonly max: number };

export interface LimitStatus {
  tenant: string;
  /** `trunk` with the trunk's name, or the tenant's `inbound`, `outbound`, `total` */
  scope: 'trunk' | 'inbound' | 'outbound' | 'total';
  trunk?: string;
  /** calls in progress, across every instance when Redis is configured */
  active: number;
  max?: number;
}

const NO_SLOT: CallSlot = { release: () => undefined };

/**
 * Concurrent-call limits (DOMAIN §6): per trunk (`maxCalls`) and per tenant
 * (`limits: {inbound, outbound, total}`). Inbound = a call from a carrier, outbound = a call out
 * through a trunk (taken once per call, whatever the failover); `total` counts both, so a carrier
 * call forwarded out holds one of each — as the carrier counts channels. Emergency calls are
 * counted but never refused. When the store cannot be reached the call is let through
 * (fail open, logged): a Redis outage must not stop telephony.
 */
export class CallLimits {
  constructor(
    private readonly store: CallCounterStore,
    /** the tenants in force (a reload replaces them) */
    private readonly tenants: () => Iterable<Tenant>,
    private readonly log: Logger,
  ) {}

  /** A slot on a trunk; undefined when the trunk is at its `maxCalls` (never for emergency calls). */
  async trunk(tenant: string, trunk: string, max: number | undefined, emergency: boolean): Promise<CallSlot | undefined> {
    const scope = trunkScope(tenant, trunk);
    const r = await this.take([{ scope, ...(max !== undefined && { max }) }], emergency, { tenant, trunk });
    return 'full' in r ? undefined : r;
  }

  /** A tenant slot for one call in `direction` (checked against that limit and `total`). */
  async tenant(tenant: Tenant, direction: CallDirection, emergency: boolean): Promise<TenantAcquire> {
    const limits = tenant.limits;
    const checks: LimitCheck[] = [
      { scope: tenantScope(tenant.name, direction), ...(limits?.[direction] !== undefined && { max: limits[direction] }) },
      { scope: tenantScope(tenant.name, 'total'), ...(limits?.total !== undefined && { max: limits.total }) },
    ];
    const r = await this.take(checks, emergency, { tenant: tenant.name, direction });
    if (!('full' in r)) return { ok: true, slot: r };
    const limit = r.full === checks[0]!.scope ? direction : 'total';
    return { ok: false, limit, max: (limit === 'total' ? limits?.total : limits?.[direction]) ?? 0 };
  }

  private async take(checks: LimitCheck[], force: boolean, fields: Record<string, string>): Promise<CallSlot | { full: string }> {
    let r;
    try {
      r = await this.store.acquire(checks, force);
    } catch (err) {
      this.log.warn({ ...fields, err: String(err) }, 'call limits unavailable (store error): call let through uncounted');
      return NO_SLOT;
    }
    if (!r.ok) return { full: r.full };
    const scopes = checks.map((c) => c.scope);
    const slot = r.slot;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.store.release(scopes, slot).catch((err: unknown) => {
          this.log.warn({ ...fields, err: String(err) }, 'call slot not released (store error); it expires on its own');
        });
      },
    };
  }

  /** Every configured scope with its current count (for /metrics and /health). */
  async snapshot(): Promise<LimitStatus[]> {
    const rows: LimitStatus[] = [];
    for (const t of this.tenants()) {
      for (const trunk of t.trunks.values()) {
        rows.push({ tenant: t.name, scope: 'trunk', trunk: trunk.name, active: 0, ...(trunk.maxCalls !== undefined && { max: trunk.maxCalls }) });
      }
      for (const d of ['inbound', 'outbound', 'total'] as const) {
        const max = t.limits?.[d];
        rows.push({ tenant: t.name, scope: d, active: 0, ...(max !== undefined && { max }) });
      }
    }
    const counts = await this.store.counts(rows.map((r) => (r.trunk !== undefined ? trunkScope(r.tenant, r.trunk) : tenantScope(r.tenant, r.scope))));
    rows.forEach((r, i) => (r.active = counts[i] ?? 0));
    return rows;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

// `{tenant}` is a Redis hash tag: a tenant's scopes checked together share one slot.
function trunkScope(tenant: string, trunk: string): string {
  return `trunk:{${tenant}}:${trunk}`;
}

function tenantScope(tenant: string, scope: string): string {
  return `tenant:{${tenant}}:${scope}`;
}
