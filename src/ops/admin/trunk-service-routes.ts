import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import type { TrunkRegistry } from '../../app/trunks/trunk-registry.js';
import { actorOf, type Audit } from './audit.js';
import { AdminError } from './errors.js';

const V1 = '/api/v1';

type TrunkRequest = FastifyRequest<{ Params: { tenant: string; trunk: string }; Body: unknown }>;

/**
 * POST /trunks/{tenant}/{trunk}/out-of-service and /in-service: the next calls skip the trunk
 * (as a watchdog-down one; emergency calls keep it as a last resort). Kept in the trunk service
 * store (Redis: every instance sees it, a restart keeps it).
 */
export function registerTrunkServiceRoutes(app: FastifyInstance, ctx: AppContext, trunks: TrunkRegistry, audit: Audit): void {
  const known = (req: TrunkRequest): { tenant: string; trunk: string } => {
    const { tenant, trunk } = req.params;
    if (!ctx.config.tenants.get(tenant)?.trunks.has(trunk)) throw new AdminError('not-found', `no trunk ${trunk} in tenant ${tenant}`);
    return { tenant, trunk };
  };

  // the dashboard's live view of trunks follows administrative changes as it follows the watchdog's
  const announce = (tenant: string, trunk: string, health: string, detail?: string): void => {
    if (ctx.events.listening) ctx.events.emit({ type: 'trunk.changed', tenant, trunk, health, changedAt: new Date().toISOString(), ...(detail !== undefined && { detail }) });
  };

  app.post(`${V1}/trunks/:tenant/:trunk/out-of-service`, async (req: TrunkRequest) => {
    const { tenant, trunk } = known(req);
    const reason = reasonOf(req.body);
    const state = { since: Date.now(), by: actorOf(req), ...(reason !== undefined && { reason }) };
    const was = await trunks.service.set(tenant, trunk, state);
    audit(req, 'trunk-out-of-service', `${tenant}/${trunk}`, `${was ? 'still' : 'now'} out of service${reason ? `: ${reason}` : ''}`);
    announce(tenant, trunk, 'out-of-service', reason);
    return { tenant, trunk, inService: false, outOfService: { since: new Date(state.since).toISOString(), by: state.by, ...(reason !== undefined && { reason }) } };
  });

  app.post(`${V1}/trunks/:tenant/:trunk/in-service`, async (req: TrunkRequest) => {
    const { tenant, trunk } = known(req);
    const was = await trunks.service.set(tenant, trunk, undefined);
    audit(req, 'trunk-in-service', `${tenant}/${trunk}`, was ? 'back in service' : 'was already in service');
    announce(tenant, trunk, trunks.all().find((t) => t.tenant === tenant && t.trunk === trunk)?.health ?? 'up');
    return { tenant, trunk, inService: true };
  });
}

function reasonOf(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) throw new AdminError('bad-request', 'the body, when sent, is a JSON object: {"reason": "..."}');
  const reason = (body as { reason?: unknown }).reason;
  if (reason === undefined) return undefined;
  if (typeof reason !== 'string' || reason.length > 200) throw new AdminError('bad-request', 'reason: a string of at most 200 characters');
  return reason;
}
