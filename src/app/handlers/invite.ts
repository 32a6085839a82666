import type Srf from 'drachtio-srf';
import type { AppContext } from '../context.js';
import { findTrustedSource, type TrustedSource } from '../../domain/index.js';
import { CallerLeg } from '../calls/caller-leg.js';
import { placeCarrierCall } from '../calls/carrier-call.js';
import { placeDeviceCall } from '../calls/device-call.js';
import { CallError } from '../calls/errors.js';
import type { CallServices } from '../calls/services.js';
import { TENANT_LIMIT_ANSWER } from '../calls/trunk-call.js';
import { authenticateDevice } from './device-auth.js';
import { RegistrarError } from '../registrar/errors.js';
import { userOfUri } from './request-facts.js';
import { reasonPhrase } from '../../sip/index.js';

/**
 * New INVITEs: from a carrier's trusted address → incoming line (no challenge); from anything
 * else → digest authentication (407) as a device, then the CoS decision.
 */
export function inviteHandler(ctx: AppContext, services: CallServices) {
  return (req: Srf.SrfRequest, res: Srf.SrfResponse): void => {
    handleInvite(ctx, services, req, res).catch((err: unknown) => {
      if (err instanceof RegistrarError) {
        ctx.log.info({ err: err.message, callId: req.get('Call-ID') }, `INVITE failed: location store down: ${err.status}`);
        if (!res.finalResponseSent) res.send(err.status, err.reasonPhrase, { headers: err.headers });
        return;
      }
      const status = err instanceof CallError ? err.status : 500;
      const level = err instanceof CallError ? 'info' : 'error';
      ctx.log[level]({ err, callId: req.get('Call-ID') }, `INVITE failed: ${status}`);
      if (!res.finalResponseSent) res.send(status);
    });
  };
}

async function handleInvite(ctx: AppContext, services: CallServices, req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
  // listens for CANCEL from the start: a caller may give up while we still authenticate
  const caller = new CallerLeg(ctx.srf, req, res);
  const dialled = userOfUri(req.uri);
  const trusted = findTrustedSource(ctx.config.tenants.values(), req.source_address);
  if (trusted !== undefined) {
    if (dialled === undefined) throw new CallError(404, reasonPhrase(404), 'NO_ROUTE', 'no DNIS in the Request-URI');
    requireOffer(req);
    return placeLimitedCarrierCall(ctx, services, caller, trusted, dialled);
  }
  const device = await authenticateDevice(ctx, req, res);
  if (device === undefined) return;
  if (dialled === undefined) throw new CallError(404, reasonPhrase(404), 'NO_ROUTE', 'nothing dialled in the Request-URI');
  requireOffer(req);
  return placeDeviceCall(ctx, services, caller, device, dialled);
}

/** The B2BUA forwards the caller's offer to every leg; an INVITE without SDP (late offer) is not supported yet. */
function requireOffer(req: Srf.SrfRequest): void {
  if (!req.body) throw new CallError(488, reasonPhrase(488), 'LATE_OFFER', 'INVITE without SDP offer');
}

/** A carrier call within the tenant's inbound and total limits (slot released when its record ends). */
async function placeLimitedCarrierCall(ctx: AppContext, services: CallServices, caller: CallerLeg, trusted: TrustedSource, dialled: string): Promise<void> {
  const callId = caller.req.get('Call-ID');
  const taken = await services.trunks.limits.tenant(trusted.tenant, 'inbound', false);
  if (!taken.ok) {
    ctx.log.info(
      { callId, tenant: trusted.tenant.name, trunk: trusted.trunk.name, dnis: dialled, limit: taken.limit, max: taken.max },
      `inbound call refused: tenant ${taken.limit} call limit (${taken.max}) reached: ${TENANT_LIMIT_ANSWER.status}`,
    );
    caller.reject(TENANT_LIMIT_ANSWER.status, TENANT_LIMIT_ANSWER.reason);
    return;
  }
  services.inboundSlots.hold(callId, taken.slot);
  try {
    await placeCarrierCall(ctx, services, caller, trusted, dialled);
  } catch (err) {
    services.inboundSlots.release(callId);
    throw err;
  }
}
