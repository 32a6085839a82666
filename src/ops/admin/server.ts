import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { CallServices } from '../../app/calls/services.js';
import type { AdminConfig } from '../../config/index.js';
import type { CdrRecorder } from '../cdr/cdr-writer.js';
import { AdminError } from './errors.js';
import { installTokenGuard } from './guard.js';
import { FailureLimiter } from './failure-limiter.js';
import { DASHBOARD_PUBLIC_PATHS, registerDashboardRoutes } from './dashboard-route.js';
import { registerEventsRoute } from './events-route.js';
import { registerRoutes } from './routes.js';
import { registerReloadRoute } from './reload-route.js';
import type { ReloadOutcome } from '../reload/reload-config.js';
import { ConfigRejected } from './validate-config.js';

export interface AdminServerOptions {
  config: AdminConfig & { token: string };
  ctx: AppContext;
  /** the running app's call services (live calls, trunks) */
  services: CallServices;
  log: Logger;
  /** the call records, for /cdrs and /calls/recent */
  cdr?: CdrRecorder;
  /** POST /config/reload reads the configuration file again */
  reload?: () => ReloadOutcome;
  /** for tests: listen on this port instead of config.port (0 = any) */
  port?: number;
}

/** The admin API (/api/v1/...), its event stream and the dashboard (/dashboard/) on their own listener. */
export async function startAdmin(o: AdminServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ConfigRejected) {
      return reply.code(422).send({ valid: false, file: err.config.file, problems: err.config.problems, error: { code: err.code, message: err.message } });
    }
    if (err instanceof AdminError) {
      if (err.retryAfter !== undefined) void reply.header('retry-after', String(err.retryAfter));
      return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    }
    const status = typeof (err as { statusCode?: unknown }).statusCode === 'number' ? (err as { statusCode: number }).statusCode : 500;
    if (status >= 500) o.log.error({ err: String(err) }, 'admin API request failed');
    return reply.code(status).send({ error: { code: status >= 500 ? 'internal' : 'bad-request', message: status >= 500 ? 'internal error' : (err as Error).message } });
  });
  installTokenGuard(app, o.config.token, o.log, new FailureLimiter(), DASHBOARD_PUBLIC_PATHS);
  registerRoutes(app, o.ctx, o.services, o.log, o.cdr);
  registerEventsRoute(app, o.ctx, o.log);
  registerDashboardRoutes(app);
  if (o.reload) registerReloadRoute(app, o.reload, o.log);
  await app.listen({ host: o.config.host, port: o.port ?? o.config.port });
  o.log.info({ host: o.config.host, port: portOf(app) }, 'admin API listening');
  return app;
}

export function portOf(app: FastifyInstance): number {
  const a = app.server.address();
  return a !== null && typeof a === 'object' ? a.port : 0;
}
