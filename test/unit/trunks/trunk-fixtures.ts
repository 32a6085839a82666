import type { Tenant, Trunk } from '../../../src/domain/index.js';

/** A UDP trunk on port 5060 with nothing optional but what `extra` adds. */
export function trunk(name: string, host: string, extra: Partial<Trunk> = {}): Trunk {
  return { name, host, port: 5060, transport: 'udp', trustedAddresses: [], trustDomain: false, failoverOn: [], noFailoverOn: [], firstResponseTimeoutMs: 1000, ...extra };
}

/** A tenant as the trunk services read it: its name and trunks only. */
export const tenantWith = (name: string, ...trunks: Trunk[]): Tenant => ({ name, trunks: new Map(trunks.map((t) => [t.name, t])) }) as unknown as Tenant;
