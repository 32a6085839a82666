import type Srf from 'drachtio-srf';
import type { AppContext } from '../context.js';
import { authenticateDeviceRequest, digestHeadersFor } from '../auth/index.js';
import { resolveDevice, type Extension, type Tenant } from '../../domain/index.js';
import { headerLines, headerOf, requestDomain, requestSource, userOfUri } from './request-facts.js';

export interface AuthenticatedDevice {
  tenant: Tenant;
  extension: Extension;
  /** Auth username of the device, e.g. `100_2`. */
  deviceUser: string;
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i;

/**
 * Tenant of a request's domain. Decision: a phone configured with only the server's IP address
 * sends `sip:<ip>`; with exactly one tenant that is unambiguous, so IP literals go to it.
 * Any other unknown domain is refused (403, not 404: we answer the same to every stranger).
 */
function tenantOf(ctx: AppContext, domain: string | undefined): Tenant | undefined {
  if (domain === undefined) return undefined;
  const t = ctx.tenantForRealm(domain);
  if (t !== undefined || !IP_LITERAL.test(domain) || ctx.config.tenants.size !== 1) return t;
  return ctx.config.tenants.values().next().value;
}

/** To user of a REGISTER (the AOR), From user of anything else. */
function claimedUser(req: Srf.SrfRequest): string | undefined {
  const header = headerOf(req, req.method === 'REGISTER' ? 'to' : 'from');
  return header === undefined ? undefined : userOfUri(header);
}

/**
 * Challenges (401 for REGISTER, 407 otherwise), refuses (403, banned sources cheaply) or returns
 * the device. Sends the response itself when it returns undefined.
 */
export async function authenticateDevice(ctx: AppContext, req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<AuthenticatedDevice | undefined> {
  const source = requestSource(req);
  if (ctx.bans.isBanned(source.address)) {
    // debug only: a banned scanner must not flood the log either
    ctx.log.debug({ method: req.method, source: source.address }, 'request from banned address refused');
    res.send(403);
    return undefined;
  }
  const domain = requestDomain(req);
  const tenant = tenantOf(ctx, domain);
  if (tenant === undefined) {
    ctx.log.info({ method: req.method, source: source.address, domain, cause: 'unknown-domain' }, 'device request refused: 403');
    res.send(403);
    return undefined;
  }
  const decision = authenticateDeviceRequest(ctx.auth, ctx.bans, {
    method: req.method,
    realm: tenant.realm,
    credentials: headerOf(req, digestHeadersFor(req.method).credentialsHeader),
    sourceAddress: source.address,
    claimedUser: claimedUser(req),
  });
  if (decision.action === 'respond') {
    const { cause, username, bannedNow } = decision.log;
    const routine = cause === 'challenge' || cause === 'stale';
    // a challenge is half of every registration: build its log fields only when debug is on
    if (routine ? ctx.log.isLevelEnabled('debug') : cause !== 'banned') {
      const fields = { method: req.method, tenant: tenant.name, source: source.address, username, cause };
      if (routine) ctx.log.debug(fields, `device challenged: ${decision.status}`);
      else ctx.log.info({ ...fields, ...(bannedNow && { bannedNow }) }, `device authentication failed: ${decision.status}`);
    }
    res.send(decision.status, decision.reason, { headers: headerLines(decision.headers) });
    return undefined;
  }
  const device = resolveDevice(tenant, decision.username);
  if (device === undefined) {
    // e.g. a hot-desk identity: it has credentials for its PIN login, but it is no phone
    ctx.log.info({ method: req.method, tenant: tenant.name, source: source.address, username: decision.username, cause: 'not-a-device' }, 'device authentication failed: 403');
    res.send(403);
    return undefined;
  }
  return { tenant, extension: device.extension, deviceUser: decision.username };
}
