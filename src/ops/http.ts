import Fastify, { type FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { LimitStatus } from '../app/limits/call-limits.js';
import type { TrunkRegistrationStatus } from '../app/trunks/registrations.js';
import type { TrunkStatus } from '../app/trunks/trunk-registry.js';
import type { EngineStats } from '../engine/core/gauges.js';
import type { MediaGauges } from '../media/media-server.js';
import type { MediaPortHealth } from '../app/media/media-port.js';
import type { StoreHealthSnapshot } from '../store/store-health.js';
import type { TenantRegistrations } from '../store/location-store.js';

export interface StoreStatus extends StoreHealthSnapshot {
  /** devices whose REGISTER changes wait in the write-behind buffer for the store */
  pendingWrites: number;
  /** extensions whose bindings this instance keeps for calls during an outage */
  cachedExtensions: number;
}

export interface TenantCalls {
  tenant: string;
  /** calls in progress on this instance that the tenant's devices or carriers placed */
  active: number;
}

export interface MediaHealth extends Partial<MediaPortHealth> {
  mode: 'embedded' | 'freeswitch' | 'off';
  /** the embedded media server's resources */
  gauges?: MediaGauges;
}

export interface HttpDeps {
  engineStats?: () => Promise<EngineStats>;
  connected: () => boolean;
  /** carrier trunks of every tenant, as the watchdog and the call paths see them */
  trunks?: () => TrunkStatus[];
  /** concurrent-call counts per trunk and tenant (cluster-wide with Redis) */
  limits?: () => Promise<LimitStatus[]>;
  /** outbound registrations to carriers, as this instance sees them */
  registrations?: () => TrunkRegistrationStatus[];
  media?: () => MediaHealth;
  /** true while the product drains (health answers 503 so load balancers move away) */
  draining?: () => boolean;
  /** the shared store (Redis): up, down, or memory */
  store?: () => StoreStatus;
  /** registered devices and bindings per tenant, as this instance knows them */
  registered?: () => TenantRegistrations[];
  /** calls in progress per tenant (this instance) */
  calls?: () => TenantCalls[];
}

/** /health and /metrics (Prometheus). Listens on loopback unless configured otherwise. */
export async function startHttp(host: string, port: number, deps: HttpDeps): Promise<FastifyInstance> {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  if (deps.engineStats) {
    const stats = deps.engineStats;
    new client.Gauge({
      name: 'sip_engine_live',
      help: 'Live engine resources by kind (transactions, dialogs, proxy contexts, connections)',
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        for (const [kind, value] of Object.entries(await stats())) this.set({ kind }, value);
      },
    });
  }
  if (deps.trunks) {
    const trunks = deps.trunks;
    new client.Gauge({
      name: 'sip_trunk_up',
      help: 'Carrier trunk health from the OPTIONS watchdog: 1 up, 0 down',
      labelNames: ['tenant', 'trunk'],
      registers: [registry],
      collect() {
        for (const t of trunks()) this.set({ tenant: t.tenant, trunk: t.trunk }, t.health === 'up' ? 1 : 0);
      },
    });
    new client.Gauge({
      name: 'sip_trunk_active_calls',
      help: 'Calls in progress through a carrier trunk (this instance)',
      labelNames: ['tenant', 'trunk'],
      registers: [registry],
      collect() {
        for (const t of trunks()) this.set({ tenant: t.tenant, trunk: t.trunk }, t.activeCalls);
      },
    });
  }
  if (deps.limits) {
    const limits = deps.limits;
    const labels = (l: LimitStatus) => ({ tenant: l.tenant, scope: l.scope, trunk: l.trunk ?? '' });
    new client.Gauge({
      name: 'sip_calls_active',
      help: 'Concurrent calls per trunk (scope trunk) and tenant (inbound, outbound, total), across every instance sharing the Redis',
      labelNames: ['tenant', 'scope', 'trunk'],
      registers: [registry],
      async collect() {
        for (const l of await limits().catch(() => [])) this.set(labels(l), l.active);
      },
    });
    new client.Gauge({
      name: 'sip_calls_limit',
      help: 'Configured maximum of concurrent calls (only scopes that have one)',
      labelNames: ['tenant', 'scope', 'trunk'],
      registers: [registry],
      async collect() {
        for (const l of await limits().catch(() => [])) if (l.max !== undefined) this.set(labels(l), l.max);
      },
    });
  }
  if (deps.registrations) {
    const regs = deps.registrations;
    new client.Gauge({
      name: 'sip_trunk_registered',
      help: 'Outbound registration to the carrier: 1 registered by this instance, 0 otherwise (see sip_trunk_registration_standby)',
      labelNames: ['tenant', 'trunk'],
      registers: [registry],
      collect() {
        for (const r of regs()) this.set({ tenant: r.tenant, trunk: r.trunk }, r.state === 'registered' ? 1 : 0);
      },
    });
    new client.Gauge({
      name: 'sip_trunk_registration_standby',
      help: '1 when another instance holds the registration lease of the trunk (this one stands by)',
      labelNames: ['tenant', 'trunk'],
      registers: [registry],
      collect() {
        for (const r of regs()) this.set({ tenant: r.tenant, trunk: r.trunk }, r.state === 'standby' ? 1 : 0);
      },
    });
  }
  if (deps.media) {
    const media = deps.media;
    new client.Gauge({
      name: 'media_server_connected',
      help: 'Event socket connection from the application to a media server: 1 connected, 0 not',
      labelNames: ['server'],
      registers: [registry],
      collect() {
        for (const s of media().servers ?? []) this.set({ server: s.address }, s.connected ? 1 : 0);
      },
    });
    new client.Gauge({
      name: 'media_live',
      help: 'Live resources of the embedded media server by kind (channels, outbound sockets, RTP ports, open recordings)',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        for (const [kind, value] of Object.entries(media().gauges ?? {})) this.set({ kind }, value);
      },
    });
  }
  if (deps.store) {
    const store = deps.store;
    new client.Gauge({
      name: 'sip_store_up',
      help: 'Shared store (Redis): 1 up (or in memory), 0 down or not yet reached',
      registers: [registry],
      collect() {
        const s = store().state;
        this.set(s === 'up' || s === 'memory' ? 1 : 0);
      },
    });
    new client.Gauge({
      name: 'sip_store_pending_writes',
      help: 'Devices whose REGISTER changes wait for the store (accepted during an outage)',
      registers: [registry],
      collect() {
        this.set(store().pendingWrites);
      },
    });
    new client.Counter({
      name: 'sip_store_outages_total',
      help: 'Times the shared store went down since start',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(store().outages);
      },
    });
  }
  if (deps.registered) {
    const registered = deps.registered;
    new client.Gauge({
      name: 'sip_registered_devices',
      help: 'Devices with at least one unexpired binding, per tenant (with Redis: those this instance has seen)',
      labelNames: ['tenant'],
      registers: [registry],
      collect() {
        this.reset();
        for (const t of registered()) this.set({ tenant: t.tenant }, t.devices);
      },
    });
    new client.Gauge({
      name: 'sip_registered_bindings',
      help: 'Unexpired bindings (contacts), per tenant (with Redis: those this instance has seen)',
      labelNames: ['tenant'],
      registers: [registry],
      collect() {
        this.reset();
        for (const t of registered()) this.set({ tenant: t.tenant }, t.bindings);
      },
    });
  }
  if (deps.calls) {
    const calls = deps.calls;
    new client.Gauge({
      name: 'sip_tenant_calls_in_progress',
      help: 'Calls in progress on this instance, per tenant (see sip_trunk_active_calls per trunk)',
      labelNames: ['tenant'],
      registers: [registry],
      collect() {
        this.reset();
        for (const t of calls()) this.set({ tenant: t.tenant }, t.active);
      },
    });
  }
  const app = Fastify({ logger: false });
  app.get('/health', async (_req, reply) => {
    // A trunk down degrades the service but the instance still works: 200, status "degraded".
    const ok = deps.connected();
    const trunks = deps.trunks?.();
    const registrations = deps.registrations?.();
    const failing = registrations?.some((r) => r.state === 'failed') === true;
    const media = deps.media?.();
    // without a media server calls still connect; only voice features and recording are missing
    const mediaDown = media?.servers?.some((s) => !s.connected) === true;
    const draining = deps.draining?.() === true;
    // the store down degrades: registrations are buffered and known devices still get calls
    const store = deps.store?.();
    const storeDown = store !== undefined && store.state !== 'up' && store.state !== 'memory';
    const status = draining ? 'draining' : !ok ? 'disconnected' : trunks?.some((t) => t.health === 'down') || failing || mediaDown || storeDown ? 'degraded' : 'ok';
    const registered = deps.registered?.();
    const calls = deps.calls?.();
    return reply.code(ok && !draining ? 200 : 503).send({
      status,
      engine: await deps.engineStats?.(),
      ...(store && { store }),
      ...(registered && { devices: registered }),
      ...(calls && { calls }),
      ...(media && { media }),
      ...(trunks && { trunks }),
      ...(registrations && registrations.length > 0 && { registrations }),
    });
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  await app.listen({ host, port });
  return app;
}
