import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const DIR = new URL('./dashboard/', import.meta.url);

/** The page may load its own script and style and talk to this server; nothing else, no framing. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES: Record<string, { file: string; type: string }> = {
  '/dashboard/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
};

/** Paths served without the bearer token: the page holds no data and no secret; its API calls need the token. */
export const DASHBOARD_PUBLIC_PATHS: ReadonlySet<string> = new Set(['/', '/dashboard', '/favicon.ico', ...Object.keys(FILES)]);

/** The static dashboard (plain HTML, CSS and one ES module), read once at start. */
export function registerDashboardRoutes(app: FastifyInstance): void {
  for (const [path, { file, type }] of Object.entries(FILES)) {
    const body = readFileSync(new URL(file, DIR));
    app.get(path, async (_req, reply) =>
      reply
        .header('content-type', type)
        .header('content-security-policy', DASHBOARD_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(body),
    );
  }
  app.get('/', async (_req, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', async (_req, reply) => reply.redirect('/dashboard/'));
  // browsers ask for it; answering keeps them from counting as failed authentications
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
}
