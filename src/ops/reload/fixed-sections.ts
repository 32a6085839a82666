import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../../config/index.js';

/** Sections that need a restart: listeners, engine, media, stores, logging, CDR file, auth/registrar rules. */
export const FIXED_SECTIONS = ['sip', 'drachtio', 'media', 'redis', 'http', 'admin', 'cdr', 'log', 'auth', 'registrar', 'drain'] as const;
export type FixedSection = (typeof FIXED_SECTIONS)[number];

/** The fixed sections that differ between the running and the new configuration. */
export function changedFixedSections(running: Config, next: Config): FixedSection[] {
  return FIXED_SECTIONS.filter((s) => !isDeepStrictEqual(running[s], next[s]));
}

/** The new tenants with the running configuration's fixed sections. */
export function withFixedSections(running: Config, next: Config): Config {
  const { redis: _dropped, ...rest } = next;
  return {
    ...rest,
    sip: running.sip,
    drachtio: running.drachtio,
    media: running.media,
    ...(running.redis && { redis: running.redis }),
    http: running.http,
    admin: running.admin,
    cdr: running.cdr,
    log: running.log,
    auth: running.auth,
    registrar: running.registrar,
    drain: running.drain,
  };
}
