import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { CallServices } from '../../app/calls/services.js';
import { toCdr } from '../cdr/cdr.js';
import { trunkNamesOf, type CdrRecorder } from '../cdr/cdr-writer.js';
import { auditLog } from './audit.js';
import { registerCdrRoutes } from './cdr-routes.js';
import { registerHotDeskRoutes } from './hot-desk-routes.js';
import { registerTenantSettingsRoutes } from './tenant-settings-routes.js';
import { registerTrunkServiceRoutes } from './trunk-service-routes.js';
import { AdminError } from './errors.js';
import { OPENAPI } from './openapi.js';
import { listRegistrations } from './registrations.js';
import { listTrunks } from './trunks.js';
import { validateConfigText } from './validate-config.js';

const V1 = '/api/v1';

type Params<K extends string> = FastifyRequest<{ Params: Record<K, string> }>;

/** The routes of /api/v1; changes are logged at info with action, target and source address. */
export function registerRoutes(app: FastifyInstance, ctx: AppContext, services: CallServices, log: Logger, cdr?: CdrRecorder): void {
  const audit = auditLog(log);

  app.get(`${V1}/openapi.json`, async () => OPENAPI);

  app.get(`${V1}/registrations`, async (req: FastifyRequest<{ Querystring: { tenant?: string; extension?: string } }>) => {
    const q = req.query;
    return { registrations: await listRegistrations(ctx, { ...(q.tenant && { tenant: q.tenant }), ...(q.extension && { extension: q.extension }) }) };
  });

  app.delete(`${V1}/registrations/:tenant/:extension/:deviceUser`, async (req: Params<'tenant' | 'extension' | 'deviceUser'>, reply) => {
    const { tenant, extension, deviceUser } = req.params;
    if (!ctx.config.tenants.get(tenant)?.extensions.has(extension)) throw new AdminError('not-found', `no extension ${extension} in tenant ${tenant}`);
    const had = await ctx.registrar.removeDevice({ tenant, extension, deviceUser });
    if (had === 0) throw new AdminError('not-found', `device ${deviceUser} of ${tenant}/${extension} is not registered`);
    audit(req, 'unregister', `${tenant}/${extension}/${deviceUser}`, `${had} binding(s) removed`);
    return reply.code(200).send({ removed: had });
  });

  app.get(`${V1}/bans`, async () => ({
    bans: ctx.bans.list().map((b) => ({ address: b.address, failures: b.failures, bannedAt: new Date(b.bannedAt).toISOString(), until: new Date(b.until).toISOString() })),
  }));

  app.delete(`${V1}/bans/:address`, async (req: Params<'address'>) => {
    const { address } = req.params;
    if (!ctx.bans.lift(address)) throw new AdminError('not-found', `${address} is not banned`);
    audit(req, 'lift-ban', address, 'lifted');
    return { lifted: address };
  });

  app.get(`${V1}/trunks`, async () => ({ trunks: await listTrunks(ctx, services) }));

  app.get(`${V1}/calls`, async () => ({
    calls: services.calls.list().map((r) => ({ ...toCdr(r, trunkNamesOf(ctx, r)), state: r.answeredAt === undefined ? 'setup' : 'answered' })),
  }));

  app.delete(`${V1}/calls/:callId`, async (req: Params<'callId'>) => {
    const { callId } = req.params;
    if (!services.calls.hangUp(callId)) throw new AdminError('not-found', `no answered call ${callId} on this instance`);
    audit(req, 'hang-up', callId, 'BYE sent to both legs');
    return { hungUp: callId };
  });

  registerCdrRoutes(app, cdr);
  registerTrunkServiceRoutes(app, ctx, services.trunks, audit);
  registerHotDeskRoutes(app, ctx, audit);
  registerTenantSettingsRoutes(app, ctx, audit);

  app.post(`${V1}/config/validate`, async (req: FastifyRequest<{ Querystring: { file?: string } }>) => {
    if (typeof req.body !== 'string') throw new AdminError('bad-request', 'post the YAML document as the body (Content-Type: application/yaml)');
    return validateConfigText(req.body, req.query.file ?? 'posted.yaml');
  });
}
