import type { AppContext } from '../../app/context.js';
import type { Binding } from '../../store/index.js';

/** One registered device of an extension, as the admin API shows it (no secrets in a Binding). */
export interface DeviceRegistration {
  tenant: string;
  extension: string;
  deviceUser: string;
  contacts: {
    bindingId: string;
    contact: string;
    source: { address: string; port: number; transport: string };
    userAgent?: string;
    expiresAt: string;
    expiresInSeconds: number;
  }[];
}

/**
 * Every live registration of the configured tenants, read from the location store the calls use
 * (memory, or Redis shared by every instance). Optional filters: tenant, extension.
 */
export async function listRegistrations(ctx: AppContext, filter: { tenant?: string; extension?: string }): Promise<DeviceRegistration[]> {
  const now = Date.now();
  const out: DeviceRegistration[] = [];
  for (const tenant of ctx.config.tenants.values()) {
    if (filter.tenant !== undefined && filter.tenant !== tenant.name) continue;
    for (const extension of tenant.extensions.keys()) {
      if (filter.extension !== undefined && filter.extension !== extension) continue;
      const bindings = await ctx.registrar.contactsOf(tenant.name, extension);
      out.push(...byDevice(tenant.name, extension, bindings, now));
    }
  }
  return out;
}

function byDevice(tenant: string, extension: string, bindings: readonly Binding[], now: number): DeviceRegistration[] {
  const devices = new Map<string, DeviceRegistration>();
  for (const b of bindings) {
    let d = devices.get(b.deviceUser);
    if (d === undefined) devices.set(b.deviceUser, (d = { tenant, extension, deviceUser: b.deviceUser, contacts: [] }));
    d.contacts.push({
      bindingId: b.bindingId,
      contact: b.contactUri,
      source: { address: b.source.address, port: b.source.port, transport: b.source.transport },
      ...(b.userAgent !== undefined && { userAgent: b.userAgent }),
      expiresAt: new Date(b.expiresAt).toISOString(),
      expiresInSeconds: Math.max(0, Math.round((b.expiresAt - now) / 1000)),
    });
  }
  return [...devices.values()];
}
