import Fastify, { type FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { EngineStats } from '../engine/core/gauges.js';

export interface HttpDeps {
  engineStats?: () => Promise<EngineStats>;
  connected: () => boolean;
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
  const app = Fastify({ logger: false });
  app.get('/health', async (_req, reply) => {
    const ok = deps.connected();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'disconnected', engine: await deps.engineStats?.() });
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  await app.listen({ host, port });
  return app;
}
