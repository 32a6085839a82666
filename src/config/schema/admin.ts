import { z } from 'zod';
import { host, int, port } from './primitives.js';

/**
 * The admin API listener: separate from /health and /metrics, loopback by default, and never
 * without a bearer token (from here or ADMIN_TOKEN; the product refuses to start without one).
 */
export const adminSchema = z.strictObject({
  enabled: z.boolean().default(false),
  host: host.default('127.0.0.1'),
  port: port.default(8081),
  token: z.string().min(16, 'too short: use at least 16 characters (e.g. openssl rand -hex 32)').optional(),
});

/** Call records: one JSON line per call, appended to `file`, rotated when it reaches `maxBytes`. */
export const cdrSchema = z.strictObject({
  file: z.string().min(1).optional(),
  maxBytes: int(1024, Number.MAX_SAFE_INTEGER).default(50 * 1024 * 1024),
  /** rotated files kept (file.1 … file.N) */
  keep: int(1, 100).default(5),
});

export type AdminConfig = z.infer<typeof adminSchema>;
export type CdrConfig = z.infer<typeof cdrSchema>;
