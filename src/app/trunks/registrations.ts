import { randomUUID } from 'node:crypto';
import type Srf from 'drachtio-srf';
import type { Logger } from 'pino';
import type { Tenant } from '../../domain/index.js';
import type { LeaseStore } from '../../store/lease-store.js';
import { srfRegisterSender } from './register-request.js';
import { RegistrationClient, type RegistrationStatus } from './registration-client.js';

export interface TrunkRegistrationStatus extends RegistrationStatus {
  tenant: string;
  trunk: string;
}

/** The registration clients of every trunk with `register`; one lease per trunk across instances. */
export class TrunkRegistrations {
  private readonly clients: { tenant: string; trunk: string; client: RegistrationClient }[] = [];
  private readonly holder = randomUUID();

  constructor(
    srf: Srf,
    tenants: Iterable<Tenant>,
    private readonly lease: LeaseStore,
    log: Logger,
    opts: { leaseTtlMs?: number } = {},
  ) {
    for (const t of tenants) {
      for (const trunk of t.trunks.values()) {
        if (trunk.register === undefined) continue;
        const client = new RegistrationClient({
          send: srfRegisterSender(srf, trunk),
          lease,
          // `{tenant}` keeps a tenant's leases in one Redis cluster slot
          leaseName: `reg:{${t.name}}:${trunk.name}`,
          holder: this.holder,
          expires: trunk.register.expires,
          log: log.child({ tenant: t.name, trunk: trunk.name }),
          ...(opts.leaseTtlMs !== undefined && { leaseTtlMs: opts.leaseTtlMs }),
        });
        this.clients.push({ tenant: t.name, trunk: trunk.name, client });
      }
    }
  }

  start(): void {
    for (const c of this.clients) c.client.start();
  }

  all(): TrunkRegistrationStatus[] {
    return this.clients.map((c) => ({ tenant: c.tenant, trunk: c.trunk, ...c.client.status() }));
  }

  /** unREGISTERs what this instance registered, then gives the leases up. */
  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.client.stop()));
    await this.lease.close();
  }
}
