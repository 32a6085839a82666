import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** Optional header naming the person behind a change (the dashboard sends its signed-in user). */
export const ACTOR_HEADER = 'x-admin-actor';

/** Who made a request: the source address, and the actor header when sent (`alice@127.0.0.1`). */
export function actorOf(req: FastifyRequest): string {
  const raw = req.headers[ACTOR_HEADER];
  const actor = (Array.isArray(raw) ? raw[0] : raw)
    ?.trim()
    .slice(0, 64)
    .replace(/[^\w.@+-]/g, '_');
  return actor ? `${actor}@${req.ip}` : req.ip;
}

export type Audit = (req: FastifyRequest, action: string, target: string, result: string) => void;

/** Every change through the admin API is one info line: action, target, who, source address, result. */
export function auditLog(log: Logger): Audit {
  return (req, action, target, result) => log.info({ action, target, by: actorOf(req), source: req.ip, result }, 'admin change');
}
