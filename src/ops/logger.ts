import pino, { type Logger } from 'pino';

/**
 * Secrets never reach logs: credentials headers, passwords, PINs and secrets are redacted where
 * the code could put them. Explicit paths, not wildcards: a wildcard path costs about 14 µs per
 * line, and every SIP transaction writes one.
 */
const SECRET_KEYS = ['password', 'pin', 'secret', 'nonceSecret', 'authorization', 'proxyAuthorization'];
const HOLDERS = ['device', 'extension', 'credentials', 'user', 'trunk', 'auth', 'redis', 'drachtio', 'config', 'err'];
const REDACT = [
  ...SECRET_KEYS,
  ...HOLDERS.flatMap((h) => SECRET_KEYS.map((k) => `${h}.${k}`)),
  'headers.authorization',
  'headers["proxy-authorization"]',
  'config.drachtio.secret',
  'config.redis.password',
];

export const logRedaction = { paths: REDACT, censor: '[redacted]' };

/** `json`: one JSON object a line (for log collectors); `pretty`: coloured lines for a person. */
export type LogFormat = 'json' | 'pretty';

/** `auto` (the default) is pretty on a terminal and JSON everywhere else (pipes, files, containers). */
export function resolveLogFormat(setting: LogFormat | 'auto', stdoutIsTty: boolean = process.stdout.isTTY === true): LogFormat {
  if (setting !== 'auto') return setting;
  return stdoutIsTty ? 'pretty' : 'json';
}

export function createLogger(level: string, format: LogFormat = 'json', name = 'sip-b2bua'): Logger {
  if (format === 'json') return pino({ name, level, redact: logRedaction });
  // pino-pretty runs in pino's transport thread: formatting costs the SIP path nothing
  return pino({
    name,
    level,
    redact: logRedaction,
    transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name' } },
  });
}

/** Message dumps at debug level must not carry credentials either. */
export function redactSip(text: string): string {
  return text.replace(/^((?:Proxy-)?Authorization\s*:).*$/gim, '$1 [redacted]');
}
