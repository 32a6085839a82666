import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import type { SettingsChange } from '../../store/index.js';
import type { Audit } from './audit.js';
import { AdminError } from './errors.js';

const V1 = '/api/v1';
const DIAL = /^[0-9A-Za-z*#+]{1,32}$/;

type TenantRequest = FastifyRequest<{ Params: { tenant: string; extension?: string }; Body: unknown }>;

/**
 * The state users change with feature codes, seen and set by an operator: a tenant's night mode
 * (*NIGHT toggle) and each extension's DND and unconditional forward (*72). Read from and written
 * to the settings store the calls use (Redis: every instance's).
 */
export function registerTenantSettingsRoutes(app: FastifyInstance, ctx: AppContext, audit: Audit): void {
  const tenantOf = (req: TenantRequest) => {
    const t = ctx.config.tenants.get(req.params.tenant);
    if (t === undefined) throw new AdminError('not-found', `no tenant ${req.params.tenant}`);
    return t;
  };

  app.get(`${V1}/tenants`, async () => {
    const tenants = [];
    for (const t of ctx.config.tenants.values()) {
      const { nightMode } = await ctx.settings.getTenant(t.name);
      const extensions = [];
      for (const number of t.extensions.keys()) {
        const s = await ctx.settings.get(t.name, number);
        extensions.push({ extension: number, dnd: s.dnd, ...(s.forwardTo !== undefined && { forwardTo: s.forwardTo }) });
      }
      tenants.push({ tenant: t.name, nightMode, extensions });
    }
    return { tenants };
  });

  app.put(`${V1}/tenants/:tenant/night-mode`, async (req: TenantRequest) => {
    const t = tenantOf(req);
    const wanted = objectBody(req.body)['nightMode'];
    if (typeof wanted !== 'boolean') throw new AdminError('bad-request', 'body: {"nightMode": true|false}');
    // the store only toggles (atomically); toggle when the state differs
    let { nightMode } = await ctx.settings.getTenant(t.name);
    if (nightMode !== wanted) ({ nightMode } = await ctx.settings.toggleNightMode(t.name));
    audit(req, 'night-mode', t.name, nightMode ? 'on' : 'off');
    return { tenant: t.name, nightMode };
  });

  app.put(`${V1}/tenants/:tenant/extensions/:extension/settings`, async (req: TenantRequest) => {
    const t = tenantOf(req);
    const extension = req.params.extension ?? '';
    if (!t.extensions.has(extension)) throw new AdminError('not-found', `no extension ${extension} in tenant ${t.name}`);
    const body = objectBody(req.body);
    const change: SettingsChange = {};
    if (body['dnd'] !== undefined) {
      if (typeof body['dnd'] !== 'boolean') throw new AdminError('bad-request', 'dnd: true or false');
      change.dnd = body['dnd'];
    }
    if (body['forwardTo'] !== undefined) {
      const f = body['forwardTo'];
      if (f !== null && (typeof f !== 'string' || !DIAL.test(f))) throw new AdminError('bad-request', 'forwardTo: a number to dial (digits, letters, * # +), or null to clear');
      change.forwardTo = f;
    }
    if (change.dnd === undefined && change.forwardTo === undefined) throw new AdminError('bad-request', 'body: {"dnd"?: boolean, "forwardTo"?: string|null}');
    const s = await ctx.settings.update(t.name, extension, change);
    audit(req, 'extension-settings', `${t.name}/${extension}`, `dnd ${s.dnd ? 'on' : 'off'}, forward ${s.forwardTo ?? 'none'}`);
    return { tenant: t.name, extension, dnd: s.dnd, ...(s.forwardTo !== undefined && { forwardTo: s.forwardTo }) };
  });
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AdminError('bad-request', 'send a JSON object (Content-Type: application/json)');
  return body as Record<string, unknown>;
}
