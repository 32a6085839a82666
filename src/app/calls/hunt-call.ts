import type { Logger } from 'pino';
import { decideRoute, screenIncoming, type HuntGroup, type HuntMember, type Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import type { AttemptRecord } from './call-record.js';
import type { RingingParty } from './caller-leg.js';
import type { OriginalCaller } from './extension-call.js';
import { bindingsFor, ringBindings } from './local-call.js';
import { RegistrarError } from '../registrar/errors.js';
import type { CallServices } from './services.js';
import { callThroughTrunks, type TrunkCallResult } from './trunk-call.js';

const noop = (): void => undefined;

/**
 * Serial hunting [004]: each member rings for its own seconds, then its legs are CANCELled before
 * the next member rings; the first answer wins, so nobody rings twice. An extension member rings
 * all its devices (skipped when DND is on, nothing is registered, or its block list refuses the
 * caller); a number member is dialled with the hunt group's own CoS (none → skipped). Nobody
 * answering → 480.
 */
export async function huntGroupCall(
  ctx: AppContext,
  services: CallServices,
  caller: RingingParty,
  tenant: Tenant,
  group: HuntGroup,
  original: OriginalCaller,
  attempts: AttemptRecord[],
  log: Logger,
  diversion?: string,
): Promise<TrunkCallResult> {
  for (const member of group.members) {
    if (caller.gone) return { outcome: { kind: 'failed', status: 487 }, release: noop };
    const result = await ringMember(ctx, services, caller, tenant, group, member, original, attempts, log, diversion);
    if (result?.outcome.kind === 'answered') return result;
  }
  log.info({ huntGroup: group.name }, 'hunt group: no member answered');
  return { outcome: { kind: 'failed', status: caller.gone ? 487 : 480 }, release: noop };
}

async function ringMember(
  ctx: AppContext,
  services: CallServices,
  caller: RingingParty,
  tenant: Tenant,
  group: HuntGroup,
  member: HuntMember,
  original: OriginalCaller,
  attempts: AttemptRecord[],
  log: Logger,
  diversion: string | undefined,
): Promise<TrunkCallResult | undefined> {
  const skip = (why: string): undefined => {
    attempts.push({ target: `hunt ${group.name} ${member.to}`, outcome: 'skipped' });
    log.info({ huntGroup: group.name, member: member.to, why }, 'hunt group member skipped');
    return undefined;
  };
  const ext = tenant.extensions.get(member.to);
  if (ext !== undefined) {
    if (screenIncoming(tenant, ext, original.screening) !== undefined) return skip('refused by a block list');
    if ((await ctx.settings.get(tenant.name, ext.number).catch(() => ({ dnd: false }))).dnd) return skip('do not disturb');
    const bindings = await bindingsFor(ctx, tenant, ext.number).catch((err: unknown) => {
      if (err instanceof RegistrarError) return undefined;
      throw err;
    });
    if (bindings === undefined) return skip('location store down and nothing known of it here');
    if (bindings.length === 0) return skip('nothing registered');
    const outcome = await ringBindings(ctx, caller, tenant, ext.number, bindings, original.from, attempts, member.seconds * 1000);
    return { outcome, release: noop };
  }
  if (group.cos === undefined) return skip('a number, and the hunt group has no CoS');
  const d = decideRoute({
    tenant,
    caller: { service: `hunt group ${group.name}`, cos: group.cos, callerId: { name: original.identity.name, number: original.identity.number } },
    dialled: member.to,
    at: Date.now(),
  });
  if (d.action !== 'outbound') return skip(`the hunt group's CoS refuses ${member.to} (${d.rule.detail})`);
  const plan = {
    number: d.number,
    trunks: d.trunks,
    identity: original.identity,
    privacy: false,
    emergency: false,
    ringTimeoutMs: member.seconds * 1000,
    ...(diversion !== undefined && { headers: { Diversion: diversion } }),
  };
  return callThroughTrunks(ctx.srf, services.trunks, tenant, caller, plan, attempts);
}
