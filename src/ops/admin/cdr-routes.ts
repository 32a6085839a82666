import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CdrRecorder } from '../cdr/cdr-writer.js';
import { AdminError } from './errors.js';

const V1 = '/api/v1';

type LimitQuery = FastifyRequest<{ Querystring: { limit?: string } }>;

/**
 * GET /cdrs: the last call records, newest first — from the Redis stream every instance writes
 * when Redis is configured, else this instance's `cdr.file`, else its memory. `/calls/recent` is
 * the older name of the same list.
 */
export function registerCdrRoutes(app: FastifyInstance, cdr: CdrRecorder | undefined): void {
  const recent = async (req: LimitQuery) => {
    if (cdr === undefined) throw new AdminError('not-found', 'call records are off on this instance');
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AdminError('bad-request', 'limit: a whole number from 1 to 1000');
    return cdr.recent(limit);
  };
  app.get(`${V1}/cdrs`, async (req: LimitQuery) => recent(req));
  app.get(`${V1}/calls/recent`, async (req: LimitQuery) => {
    const r = await recent(req);
    return { calls: r.cdrs, source: r.source };
  });
}
