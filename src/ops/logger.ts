import pino, { type Logger } from 'pino';

/** Secrets never reach logs: credentials headers, passwords and PINs are redacted wherever they appear. */
const REDACT = [
  'password', '*.password', '*.*.password', 'pin', '*.pin', 'secret', '*.secret', '*.*.secret',
  'authorization', '*.authorization', 'proxyAuthorization', '*.proxyAuthorization',
  'headers.authorization', 'headers["proxy-authorization"]',
];

export function createLogger(level: string, name = 'sip-b2bua'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** Message dumps at debug level must not carry credentials either. */
export function redactSip(text: string): string {
  return text.replace(/^((?:Proxy-)?Authorization\s*:).*$/gim, '$1 [redacted]');
}
