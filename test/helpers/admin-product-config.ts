import type { Config } from '../../src/config/index.js';

/**
 * A parsed configuration as the admin-API tests run it with `runProduct`: SIP on `host`:5060,
 * the engine's wire and the admin API on ephemeral ports, /health off, no media server (nothing
 * there needs one, and 127.0.0.1:5080 belongs to the shipped-config test).
 */
export function adminProductConfig(parsed: Config, host: string, token: string): Config {
  return {
    ...parsed,
    media: { ...parsed.media, mode: 'off' },
    sip: { listen: [{ host, port: 5060, transports: ['udp', 'tcp'] }] },
    drachtio: { ...parsed.drachtio, port: 0 },
    http: { ...parsed.http, host, port: 0, enabled: false },
    admin: { ...parsed.admin, enabled: true, host, port: 0, token },
  };
}
