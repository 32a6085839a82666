import { ringTimeoutSeconds, type Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { contactsOfExtension } from '../handlers/register.js';
import type { Binding } from '../../store/index.js';
import type { AttemptRecord } from './call-record.js';
import type { CallerLeg } from './caller-leg.js';
import { ringAll, type CallOutcome, type ForkTarget } from './fork.js';
import type { HotDeskLogins } from './hot-desk-logins.js';

/**
 * A call to an extension of the tenant: every live binding of every device rings at once
 * (DOMAIN §1, §9 "every device must ring"). A hot-desk guest rings the phone they are logged in
 * on. Nothing registered → 480; nobody answering within the ring timeout → 480, every leg cancelled.
 */
export async function callExtension(
  ctx: AppContext, logins: HotDeskLogins, caller: CallerLeg, tenant: Tenant, extension: string, from: string, attempts: AttemptRecord[],
): Promise<CallOutcome> {
  const bindings = await bindingsFor(ctx, logins, tenant, extension);
  const ringTimeoutMs = ringTimeoutSeconds(tenant, tenant.extensions.get(extension)) * 1000;
  const to = `<sip:${extension}@${tenant.domain}>`;
  const targets: ForkTarget[] = bindings.map((b) => ({
    label: `${b.deviceUser} ${b.contactUri}`,
    target: {
      uri: b.contactUri,
      // NAT: the device is reached where its REGISTER came from, not at its Contact host
      proxy: `sip:${hostForUri(b.source.address)}:${b.source.port};transport=${b.source.transport}`,
      headers: { From: from, To: to },
      localSdp: caller.req.body,
    },
  }));
  return ringAll(ctx.srf, caller, targets, attempts, { ringTimeoutMs });
}

async function bindingsFor(ctx: AppContext, logins: HotDeskLogins, tenant: Tenant, extension: string): Promise<Binding[]> {
  const ext = tenant.extensions.get(extension);
  if (ext === undefined) return [];
  if (ext.hotDeskPin === undefined) return contactsOfExtension(ctx, tenant, ext);
  const phone = logins.phoneOf(tenant.name, extension);
  if (phone === undefined) return [];
  const owner = tenant.extensions.get(phone.replace(/_\d+$/, ''));
  if (owner === undefined) return [];
  const all = await contactsOfExtension(ctx, tenant, owner);
  return all.filter((b) => b.deviceUser === phone);
}

function hostForUri(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
