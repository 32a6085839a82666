import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import { AdminError } from './errors.js';
import { DEFAULT_SSE_OPTIONS, SseHub, type SseHubOptions } from './sse-hub.js';

/**
 * GET /api/v1/events: the app's events as server-sent events, behind the same bearer token as
 * every other route (the dashboard reads it with fetch, which can send the header; the token never
 * goes into a URL). Streams end when the admin server closes.
 */
export function registerEventsRoute(app: FastifyInstance, ctx: AppContext, log: Logger, o: SseHubOptions = DEFAULT_SSE_OPTIONS): SseHub {
  const hub = new SseHub(ctx.events, { ...o, onDrop: () => log.info('admin event stream: client dropped, too far behind') });
  app.get('/api/v1/events', async (req, reply) => {
    if (hub.full) throw new AdminError('unavailable', 'too many event streams open', 5);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    res.socket?.setNoDelay(true);
    const end = hub.add(res);
    log.debug({ source: req.ip, streams: hub.size }, 'admin event stream opened');
    res.on('close', () => {
      end();
      log.debug({ source: req.ip, streams: hub.size }, 'admin event stream closed');
    });
  });
  app.addHook('preClose', (done) => {
    hub.closeAll();
    done();
  });
  return hub;
}
