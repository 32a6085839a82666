import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import type { Audit } from './audit.js';
import { AdminError } from './errors.js';

const V1 = '/api/v1';

/** GET /hot-desk (sessions of every tenant), DELETE /hot-desk/{tenant}/{phone} (log the guest out). */
export function registerHotDeskRoutes(app: FastifyInstance, ctx: AppContext, audit: Audit): void {
  app.get(`${V1}/hot-desk`, async (req: FastifyRequest<{ Querystring: { tenant?: string } }>) => {
    const sessions = [];
    for (const tenant of ctx.config.tenants.keys()) {
      if (req.query.tenant !== undefined && req.query.tenant !== tenant) continue;
      for (const s of await ctx.hotDesk.list(tenant)) {
        sessions.push({ tenant, phone: s.phone, guest: s.guest, expiresAt: new Date(s.expiresAt).toISOString() });
      }
    }
    return { sessions };
  });

  app.delete(`${V1}/hot-desk/:tenant/:phone`, async (req: FastifyRequest<{ Params: { tenant: string; phone: string } }>) => {
    const { tenant, phone } = req.params;
    if (!ctx.config.tenants.has(tenant)) throw new AdminError('not-found', `no tenant ${tenant}`);
    const guest = await ctx.hotDesk.logoutPhone(tenant, phone);
    if (guest === undefined) throw new AdminError('not-found', `nobody is logged in on ${phone} of ${tenant}`);
    audit(req, 'hot-desk-logout', `${tenant}/${phone}`, `guest ${guest} logged out`);
    return { tenant, phone, loggedOut: guest };
  });
}
