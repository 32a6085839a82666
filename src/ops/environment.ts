import type { Config } from '../config/index.js';

/**
 * Secrets come from the environment in production (docs/docker.md): DRACHTIO_SECRET,
 * REDIS_URL, FREESWITCH_SECRET (every FreeSWITCH server's), ADMIN_TOKEN override the file's values; LOG_FORMAT (auto, json, pretty) too.
 */
export function applyEnvironment(config: Config, env: NodeJS.ProcessEnv): Config {
  let out = config;
  const format = env.LOG_FORMAT;
  if (format === 'json' || format === 'pretty' || format === 'auto') out = { ...out, log: { ...out.log, format } };
  if (env.DRACHTIO_SECRET) out = { ...out, drachtio: { ...out.drachtio, secret: env.DRACHTIO_SECRET } };
  if (env.REDIS_URL) out = { ...out, redis: { ...(out.redis ?? {}), url: env.REDIS_URL } };
  if (env.FREESWITCH_SECRET) out = { ...out, media: { ...out.media, freeswitch: out.media.freeswitch.map((s) => ({ ...s, secret: env.FREESWITCH_SECRET! })) } };
  if (env.ADMIN_TOKEN) out = { ...out, admin: { ...out.admin, token: env.ADMIN_TOKEN } };
  return out;
}
