import { randomUUID } from 'node:crypto';
import type Srf from 'drachtio-srf';
import type { Logger } from 'pino';
import type { Tenant, Trunk } from '../../domain/index.js';
import type { LeaseStore } from '../../store/lease-store.js';
import { srfRegisterSender } from './register-request.js';
import { RegistrationClient, type RegistrationStatus } from './registration-client.js';
import { trunkUri } from './trunk-uri.js';

export interface TrunkRegistrationStatus extends RegistrationStatus {
  tenant: string;
  trunk: string;
}

interface TrunkClient {
  tenant: string;
  trunk: string;
  /** what the client registers: AOR, target and credentials (a change means a new client) */
  fingerprint: string;
  client: RegistrationClient;
}

function fingerprintOf(trunk: Trunk): string {
  const r = trunk.register!;
  return JSON.stringify([trunkUri(trunk), r.username, r.password ?? '', r.expires]);
}

/** The registration clients of every trunk with `register`; one lease per trunk across instances. */
export class TrunkRegistrations {
  /** by `tenant/trunk`, in configuration order */
  private readonly clients = new Map<string, TrunkClient>();
  private readonly holder = randomUUID();
  private started = false;
  /** the last `follow`, so that changes are applied one after another */
  private following: Promise<void> = Promise.resolve();

  constructor(
    private readonly srf: Srf,
    tenants: Iterable<Tenant>,
    private readonly lease: LeaseStore,
    private readonly log: Logger,
    private readonly opts: { leaseTtlMs?: number } = {},
  ) {
    for (const [key, c] of this.wanted(tenants)) this.clients.set(key, this.client(c.tenant, c.trunk));
  }

  start(): void {
    this.started = true;
    for (const c of this.clients.values()) c.client.start();
  }

  /**
   * Registers exactly the trunks of `tenants` (a configuration reload): a removed trunk, or one
   * whose target, user or credentials changed, is unREGISTERed and its lease given up; a new or
   * changed one starts registering. Unchanged trunks keep their registration.
   */
  follow(tenants: Iterable<Tenant>): Promise<void> {
    const wanted = this.wanted(tenants);
    // after the previous change, even if that one failed: one failure must not stop every later reload
    this.following = this.following
      .catch(() => undefined)
      .then(async () => {
        const leaving: TrunkClient[] = [];
        for (const [key, c] of this.clients) {
          if (wanted.get(key)?.fingerprint === c.fingerprint) continue;
          leaving.push(c);
          this.clients.delete(key);
        }
        await Promise.all(
          leaving.map((c) => {
            this.log.info(
              { tenant: c.tenant, trunk: c.trunk },
              wanted.has(`${c.tenant}/${c.trunk}`) ? 'trunk registration changed by a reload: unregistering the old one' : 'trunk removed by a reload: unregistering',
            );
            return c.client.stop();
          }),
        );
        for (const [key, w] of wanted) {
          if (this.clients.has(key)) continue;
          const c = this.client(w.tenant, w.trunk);
          this.clients.set(key, c);
          if (this.started) c.client.start();
        }
      });
    return this.following;
  }

  all(): TrunkRegistrationStatus[] {
    return [...this.clients.values()].map((c) => ({ tenant: c.tenant, trunk: c.trunk, ...c.client.status() }));
  }

  /** unREGISTERs what this instance registered, then gives the leases up. */
  async stop(): Promise<void> {
    this.started = false;
    await this.following.catch(() => undefined);
    await Promise.all([...this.clients.values()].map((c) => c.client.stop()));
    await this.lease.close();
  }

  private wanted(tenants: Iterable<Tenant>): Map<string, { tenant: string; trunk: Trunk; fingerprint: string }> {
    const out = new Map<string, { tenant: string; trunk: Trunk; fingerprint: string }>();
    for (const t of tenants) {
      for (const trunk of t.trunks.values()) {
        if (trunk.register !== undefined) out.set(`${t.name}/${trunk.name}`, { tenant: t.name, trunk, fingerprint: fingerprintOf(trunk) });
      }
    }
    return out;
  }

  private client(tenant: string, trunk: Trunk): TrunkClient {
    const client = new RegistrationClient({
      send: srfRegisterSender(this.srf, trunk),
      lease: this.lease,
      // `{tenant}` keeps a tenant's leases in one Redis cluster slot
      leaseName: `reg:{${tenant}}:${trunk.name}`,
      holder: this.holder,
      expires: trunk.register!.expires,
      log: this.log.child({ tenant, trunk: trunk.name }),
      ...(this.opts.leaseTtlMs !== undefined && { leaseTtlMs: this.opts.leaseTtlMs }),
    });
    return { tenant, trunk: trunk.name, fingerprint: fingerprintOf(trunk), client };
  }
}
