import type { Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { RegistrarError } from '../registrar/errors.js';
import type { Binding } from '../../store/index.js';
import type { AttemptRecord } from './call-record.js';
import type { RingingParty } from './caller-leg.js';
import { ringAll, type CallOutcome, type ForkTarget } from './fork.js';
import { reasonPhrase } from '../../sip/index.js';

/**
 * Rings every live binding of every device of an extension at once (DOMAIN §1, §9 "every device
 * must ring"); a hot-desk guest's bindings are those of the phone they are logged in on. Nothing
 * answering within `ringTimeoutMs` → 480 (no answer), every leg cancelled.
 */
export function ringBindings(
  ctx: AppContext,
  caller: RingingParty,
  tenant: Tenant,
  extension: string,
  bindings: readonly Binding[],
  from: string,
  attempts: AttemptRecord[],
  ringTimeoutMs: number,
): Promise<CallOutcome> {
  const to = `<sip:${extension}@${tenant.domain}>`;
  const targets: ForkTarget[] = bindings.map((b) => ({
    label: `${b.deviceUser} ${b.contactUri}`,
    target: {
      uri: b.contactUri,
      // NAT: the device is reached where its REGISTER came from, not at its Contact host
      proxy: `sip:${hostForUri(b.source.address)}:${b.source.port};transport=${b.source.transport}`,
      headers: { From: from, To: to },
      localSdp: caller.offer,
    },
  }));
  return ringAll(ctx.srf, caller, targets, attempts, { ringTimeoutMs });
}

/**
 * Rings every device of `extension` (see `ringBindings`); `unregistered` when nothing is
 * registered. Throws RegistrarError as `bindingsFor` does.
 */
export async function ringExtension(
  ctx: AppContext,
  caller: RingingParty,
  tenant: Tenant,
  extension: string,
  from: string,
  attempts: AttemptRecord[],
  ringTimeoutMs: number,
): Promise<CallOutcome | 'unregistered'> {
  const bindings = await bindingsFor(ctx, tenant, extension);
  if (bindings.length === 0) return 'unregistered';
  return ringBindings(ctx, caller, tenant, extension, bindings, from, attempts, ringTimeoutMs);
}

/**
 * The bindings a call to `extension` rings (a hot-desk guest: the phone they are logged in on).
 * Throws RegistrarError (503 + Retry-After) when the store is down and this instance knows nothing
 * of the extension.
 */
export async function bindingsFor(ctx: AppContext, tenant: Tenant, extension: string): Promise<Binding[]> {
  const ext = tenant.extensions.get(extension);
  if (ext === undefined) return [];
  if (ext.hotDeskPin === undefined) return ctx.registrar.contactsOf(tenant.name, ext.number);
  const phone = await ctx.hotDesk.phoneOf(tenant.name, extension).catch((err: unknown) => {
    throw new RegistrarError(503, reasonPhrase(503), { 'Retry-After': '5' }, { cause: err });
  });
  if (phone === undefined) return [];
  const owner = tenant.extensions.get(phone.replace(/_\d+$/, ''));
  if (owner === undefined) return [];
  const all = await ctx.registrar.contactsOf(tenant.name, owner.number);
  return all.filter((b) => b.deviceUser === phone);
}

function hostForUri(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** A lookup that failed because the store is down, as the caller's answer (503 with Retry-After). */
export function storeDownOutcome(err: RegistrarError): CallOutcome {
  return { kind: 'failed', status: err.status, reason: err.reasonPhrase, headers: err.headers };
}
