import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ReloadOutcome } from '../reload/reload-config.js';
import { ConfigRejected } from './validate-config.js';
import { actorOf } from './audit.js';

/** POST /api/v1/config/reload: the configuration file read again (as SIGHUP does); 422 when refused. */
export function registerReloadRoute(app: FastifyInstance, reload: () => ReloadOutcome, log: Logger): void {
  app.post('/api/v1/config/reload', async (req: FastifyRequest) => {
    const outcome = reload();
    log.info({ action: 'reload-config', target: outcome.ok ? outcome.file : outcome.error.file, by: actorOf(req), source: req.ip, result: outcome.ok ? 'reloaded' : 'refused' }, 'admin change');
    if (!outcome.ok) throw new ConfigRejected(outcome.error);
    return { reloaded: true, file: outcome.file, tenants: outcome.tenants, warnings: outcome.warnings, kept: outcome.kept };
  });
}
