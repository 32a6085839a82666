import type { Logger } from 'pino';
import {
  decideRoute,
  outgoingCallerId,
  presentingExtension,
  recordReason,
  resolveCaller,
  UnknownCallerError,
  type CallingParty,
  type PresentedIdentity,
  type RecordReason,
  type RouteDecision,
} from '../../domain/index.js';
import type { AppContext } from '../context.js';
import type { AuthenticatedDevice } from '../handlers/device-auth.js';
import { CallLog } from './call-record.js';
import type { CallerLeg, RingingParty } from './caller-leg.js';
import { reasonFor } from './errors.js';
import { nameAddr } from './identity.js';
import { callExtensionWithForwards } from './extension-call.js';
import { runFeature } from './feature-call.js';
import { huntGroupCall } from './hunt-call.js';
import { runIvrCall } from '../media/ivr-call.js';
import { maybeRecorded } from '../media/recorded-call.js';
import { isVoiceFeature, runVoiceFeature } from '../media/voice-features.js';
import type { CallServices } from './services.js';
import { callThroughTrunks, type TrunkCallResult } from './trunk-call.js';

/**
 * A call placed by an authenticated device: who calls (device `100_2` is extension 100; a
 * logged-in hot-desk guest replaces the phone's identity), the CoS decision, then the route.
 */
export async function placeDeviceCall(ctx: AppContext, services: CallServices, caller: CallerLeg, device: AuthenticatedDevice, dialled: string): Promise<void> {
  const { tenant } = device;
  const call = CallLog.open(services, ctx.log, { device: device.deviceUser }, { callId: caller.req.get('Call-ID'), caller: device.deviceUser, dialled, direction: 'device', tenant: tenant.name });
  const { record, log } = call;
  const guest = await guestOn(ctx, tenant.name, device.deviceUser, log);
  let decision: RouteDecision;
  let from: string;
  let identity: PresentedIdentity;
  /** whose settings a feature code changes: the logged-in guest's, else the phone's extension */
  let owner: string;
  let party: CallingParty;
  try {
    party = resolveCaller(tenant, device.deviceUser, guest);
    const presenting = presentingExtension(party);
    record.callerExtension = presenting.number;
    // internal calls present the extension number (so the callee can call back) and its name
    from = nameAddr(presenting.callerId.name ?? presenting.displayName, presenting.number, tenant.domain);
    identity = outgoingCallerId(presenting, undefined);
    owner = presenting.number;
    decision = decideRoute({ tenant, caller: party, dialled, at: Date.now() });
  } catch (err) {
    if (!(err instanceof UnknownCallerError)) throw err;
    log.info({ err: err.message }, 'call from an unknown caller refused: 403');
    caller.reject(403);
    call.finish(403);
    return;
  }
  record.action = decision.action;
  record.rule = `${decision.rule.step}: ${decision.rule.detail}`;
  /** Rings with `ring` (anchored on a media server first when `why` says the call is recorded), then completes the call. */
  const ringAndComplete = async (why: RecordReason | undefined, ring: (party: RingingParty) => Promise<TrunkCallResult>): Promise<void> => {
    const { outcome, release, anchored } = why === undefined ? { ...(await ring(caller)), anchored: false } : await maybeRecorded(ctx, caller, why, record, log, ring);
    call.complete(caller, outcome, release, anchored);
  };

  switch (decision.action) {
    case 'reject': {
      log.info({ dialled, status: decision.status, reason: decision.reason, rule: record.rule, cos: decision.rule.cos }, `call refused: ${decision.status}`);
      caller.reject(decision.status, reasonFor(decision.status), { Reason: `SIP;cause=${decision.status};text="${decision.reason}"` });
      call.finish(decision.status);
      return;
    }
    case 'local': {
      const screening = { numbers: [owner, identity.number], anonymous: false };
      const why = recordReason(decision, party, tenant.extensions.get(decision.extension));
      await ringAndComplete(why, (leg) => callExtensionWithForwards(ctx, services, leg, tenant, decision.extension, { from, identity, screening }, record.attempts, log));
      return;
    }
    case 'huntGroup': {
      const screening = { numbers: [owner, identity.number], anonymous: false };
      const group = tenant.huntGroups.get(decision.group)!;
      await ringAndComplete(recordReason(decision, party, undefined), (leg) => huntGroupCall(ctx, services, leg, tenant, group, { from, identity, screening }, record.attempts, log));
      return;
    }
    case 'outbound':
    case 'emergency': {
      const emergency = decision.action === 'emergency';
      const plan = { number: decision.number, trunks: decision.trunks, identity: decision.callerId, privacy: decision.privacy, emergency };
      await ringAndComplete(recordReason(decision, party, undefined), (leg) => callThroughTrunks(ctx.srf, services.trunks, tenant, leg, plan, record.attempts));
      return;
    }
    case 'feature': {
      if (isVoiceFeature(decision.feature)) {
        await runVoiceFeature(ctx, caller, tenant, { deviceUser: device.deviceUser, owner }, decision, call);
        return;
      }
      const status = await runFeature(ctx, tenant, owner, decision, log, caller.req.source_address, device.deviceUser);
      caller.reject(status.status, status.reason);
      call.finish(status.status);
      return;
    }
    case 'application': {
      const app = tenant.applications.get(decision.application)!;
      if (app.kind === 'ivr') {
        const screening = { numbers: [owner, identity.number], anonymous: false };
        await runIvrCall(ctx, services, caller, tenant, app, { from, identity, screening }, call);
        return;
      }
      log.info({ dialled, action: decision.action, rule: record.rule }, `call to a ${app.kind} application: 501 (not available yet)`);
      caller.reject(501);
      call.finish(501);
      return;
    }
  }
}

/** A store that cannot be read must not stop the call: the phone calls as itself. */
async function guestOn(ctx: AppContext, tenant: string, deviceUser: string, log: Logger): Promise<string | undefined> {
  try {
    return await ctx.hotDesk.guestOn(tenant, deviceUser);
  } catch (err) {
    log[ctx.storeHealth.usable ? 'error' : 'debug']({ err, deviceUser }, 'hot-desk store unreadable: the phone calls as itself');
    return undefined;
  }
}
