import { routeIncoming, type TrustedSource } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { CallLog } from './call-record.js';
import type { CallerLeg, RingingParty } from './caller-leg.js';
import { callExtensionWithForwards, type OriginalCaller } from './extension-call.js';
import { runIvrCall } from '../media/ivr-call.js';
import { maybeRecorded } from '../media/recorded-call.js';
import { huntGroupCall } from './hunt-call.js';
import type { CallServices } from './services.js';
import type { TrunkCallResult } from './trunk-call.js';
import { carrierIdentity, fromWithoutTag } from './identity.js';

/**
 * A call from a carrier's trusted address (never challenged): the DNIS picks an incoming line,
 * whose destination is an extension (all its devices ring, its forwards apply), a hunt group or a
 * hang-up; unknown DNIS → 404.
 * The carrier's caller ID (From display name and user) is shown to the callee unchanged.
 */
export async function placeCarrierCall(ctx: AppContext, services: CallServices, caller: CallerLeg, source: TrustedSource, dnis: string): Promise<void> {
  const { tenant, trunk } = source;
  const fromHeader = caller.req.get('From') ?? '';
  const call = CallLog.open(
    services,
    ctx.log,
    { trunk: trunk.name },
    { callId: caller.req.get('Call-ID'), caller: fromWithoutTag(fromHeader), dialled: dnis, direction: 'carrier', tenant: tenant.name },
  );
  const { record, log } = call;
  const nightMode = await ctx.settings.getTenant(tenant.name).then(
    (s) => s.nightMode,
    (err: unknown) => {
      log.error({ err }, 'settings store unreadable: incoming lines follow their schedules');
      return false;
    },
  );
  const decision = routeIncoming(tenant, dnis, Date.now(), nightMode);
  record.action = decision.action;
  record.rule = decision.line === undefined ? `incoming: no incoming line for DNIS ${dnis}` : `incoming: line ${decision.line}${nightMode ? ' (night mode)' : ''}`;
  switch (decision.action) {
    case 'reject':
      log.info({ dnis, status: decision.status, rule: record.rule }, `inbound call refused: ${decision.status}`);
      caller.reject(decision.status);
      call.finish(decision.status);
      return;
    case 'local':
    case 'huntGroup': {
      const original = originalCaller(caller, fromHeader);
      const callee = decision.action === 'local' ? tenant.extensions.get(decision.extension) : undefined;
      const why = callee?.record ? 'callee extension' : undefined;
      const ring = (leg: RingingParty): Promise<TrunkCallResult> =>
        decision.action === 'local'
          ? callExtensionWithForwards(ctx, services, leg, tenant, decision.extension, original, record.attempts, log)
          : huntGroupCall(ctx, services, leg, tenant, tenant.huntGroups.get(decision.group)!, original, record.attempts, log);
      // an unrecorded call rings at once; a recorded one is anchored on a media server first
      const { outcome, release, anchored } = why === undefined ? { ...(await ring(caller)), anchored: false } : await maybeRecorded(ctx, caller, why, record, log, ring);
      call.complete(caller, outcome, release, anchored);
      return;
    }
    case 'application': {
      const app = tenant.applications.get(decision.application)!;
      if (app.kind === 'ivr') return runIvrCall(ctx, services, caller, tenant, app, originalCaller(caller, fromHeader), call);
      log.info({ dnis, rule: record.rule }, `inbound call to a ${app.kind} application: 501 (not available yet)`);
      caller.reject(501);
      call.finish(501);
    }
  }
}

/** The carrier's caller as every leg of the call presents and screens it. */
function originalCaller(caller: CallerLeg, fromHeader: string): OriginalCaller {
  const from = fromWithoutTag(fromHeader);
  const identity = carrierIdentity(from);
  const anonymous = /anonymous/i.test(identity.name) || /^anonymous$/i.test(identity.number) || /\bid\b/i.test(caller.req.get('Privacy') ?? '');
  return { from, identity, screening: { numbers: [identity.number], anonymous } };
}
