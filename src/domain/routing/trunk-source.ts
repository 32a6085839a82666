import type { Tenant, Trunk } from '../model.js';

/** A trunk that trusts a source address, with its tenant. */
export interface TrustedSource {
  readonly tenant: Tenant;
  readonly trunk: Trunk;
}

/**
 * Finds the trunk whose `trustedAddresses` include `address` (exact IP, or IPv4 CIDR like
 * `203.0.113.0/24`). Calls from such an address are never challenged [DOMAIN §2].
 */
export function findTrustedSource(tenants: Iterable<Tenant>, address: string): TrustedSource | undefined {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  for (const tenant of tenants) {
    for (const trunk of tenant.trunks.values()) {
      if (trunk.trustedAddresses.some((entry) => addressMatches(entry, plain))) return { tenant, trunk };
    }
  }
  return undefined;
}

export function addressMatches(entry: string, address: string): boolean {
  const slash = entry.indexOf('/');
  if (slash < 0) return entry === address;
  const base = ipv4ToInt(entry.slice(0, slash));
  const ip = ipv4ToInt(address);
  const bits = Number(entry.slice(slash + 1));
  if (base === undefined || ip === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (base & mask) >>> 0 === (ip & mask) >>> 0;
}

export function ipv4ToInt(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}
