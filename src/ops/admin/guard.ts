import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { bearerMatches } from './bearer-token.js';
import { AdminError } from './errors.js';
import { FailureLimiter } from './failure-limiter.js';

/**
 * Every request needs the bearer token, except the exact `publicPaths` (the dashboard's static
 * files); a source that fails too often is refused with 429 (even with the right token) until its
 * failures age out of the window.
 */
export function installTokenGuard(app: FastifyInstance, token: string, log: Logger, limiter = new FailureLimiter(), publicPaths: ReadonlySet<string> = new Set()): void {
  app.addHook('onRequest', async (req) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && publicPaths.has(req.url)) return;
    const wait = limiter.retryAfter(req.ip);
    if (wait > 0) throw new AdminError('rate-limited', 'too many failed authentications from this address', wait);
    if (!bearerMatches(req.headers.authorization, token)) {
      limiter.recordFailure(req.ip);
      const refusedFor = limiter.retryAfter(req.ip);
      if (refusedFor > 0) log.warn({ source: req.ip, retryAfterSeconds: refusedFor }, 'admin API: source refused after repeated bad tokens');
      else log.info({ source: req.ip, method: req.method, url: req.url }, 'admin API: request without a valid token');
      throw new AdminError('unauthorized', 'a valid bearer token is required (Authorization: Bearer ...)');
    }
  });
}
