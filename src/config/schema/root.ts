import { z } from 'zod';
import { authSchema, drachtioSchema, httpSchema, logSchema, mediaSchema, redisSchema, registrarSchema, sipSchema } from './platform.js';
import { tenantSchema } from './tenant.js';
import { adminSchema, cdrSchema } from './admin.js';
import { drainSchema } from './drain.js';

export const KNOWN_SECTIONS = ['sip', 'drachtio', 'registrar', 'auth', 'redis', 'log', 'http', 'media', 'admin', 'cdr', 'drain', 'tenants'] as const;

/** The whole file. Unknown top-level sections pass through (with a warning), for other modules to own. */
export const configSchema = z.looseObject({
  sip: sipSchema.prefault({}),
  drachtio: drachtioSchema.prefault({}),
  registrar: registrarSchema.prefault({}),
  auth: authSchema.prefault({}),
  redis: redisSchema.nullish(),
  log: logSchema.prefault({}),
  http: httpSchema.prefault({}),
  media: mediaSchema.prefault({}),
  admin: adminSchema.prefault({}),
  cdr: cdrSchema.prefault({}),
  drain: drainSchema.prefault({}),
  tenants: z.record(z.string(), tenantSchema).default({}),
});

export type RawConfig = z.infer<typeof configSchema>;
