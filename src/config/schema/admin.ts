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

/** Call records to a Redis stream (when `redis` is configured): every instance appends to the same key. */
export const cdrStreamSchema = z.strictObject({
  enabled: z.boolean().default(true),
  key: z.string().min(1).default('cdr:stream'),
  /** approximate bound (`XADD … MAXLEN ~`): the oldest records are trimmed past it */
  maxLen: int(100, 100_000_000).default(100_000),
});

/** Call records POSTed as JSON to a billing URL; never blocks a call (bounded queue, bounded retries). */
export const cdrWebhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  timeoutMs: int(100, 60_000).default(5_000),
  /** attempts per record (the first included) before it is dropped, logged */
  attempts: int(1, 20).default(3),
  /** records waiting to be sent; past it the oldest is dropped, logged */
  queueSize: int(1, 1_000_000).default(10_000),
  /** sent as `Authorization` when set (e.g. `Bearer …`) */
  authorization: z.string().min(1).optional(),
});

/** Call records: one JSON line per call, appended to `file`, rotated when it reaches `maxBytes`. */
export const cdrSchema = z.strictObject({
  file: z.string().min(1).optional(),
  maxBytes: int(1024, Number.MAX_SAFE_INTEGER).default(50 * 1024 * 1024),
  /** rotated files kept (file.1 … file.N) */
  keep: int(1, 100).default(5),
  stream: cdrStreamSchema.prefault({}),
  webhook: cdrWebhookSchema.optional(),
  /** records kept in memory for `GET /api/v1/cdrs` when there is neither a Redis stream nor a file */
  memory: int(0, 100_000).default(1000),
});

export type AdminConfig = z.infer<typeof adminSchema>;
export type CdrConfig = z.infer<typeof cdrSchema>;
