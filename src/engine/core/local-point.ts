import type { TransportName } from '../transport/types.js';
import { substituteLocalhost } from './app-headers.js';

/** One of our SIP listen points as seen by the messages we build. */
export interface LocalPoint {
  transport: TransportName;
  /** bind address */
  host: string;
  port: number;
  /** address written into Via/Contact/Record-Route */
  advertised: string;
}

export const hostPort = (p: LocalPoint): string => `${p.advertised.includes(':') ? `[${p.advertised}]` : p.advertised}:${p.port}`;

/**
 * `<sip:host:port[;transport=tcp]>` for server-generated Contacts (always bracketed, §10.2 S2);
 * `<sips:host:port>` on a TLS point when the request was for a SIPS URI (RFC 3261 §12.1.1, RFC 5630).
 */
export function contactOf(p: LocalPoint, user?: string, sips = false): string {
  const u = user ? `${user}@` : '';
  if (sips && p.transport === 'tls') return `<sips:${u}${hostPort(p)}>`;
  const t = p.transport === 'udp' ? '' : `;transport=${p.transport}`;
  return `<sip:${u}${hostPort(p)}${t}>`;
}

/** The app's Contact after `localhost` substitution (§5.5); made SIPS when ours and the request was SIPS. */
export function ourContact(value: string, p: LocalPoint, sips: boolean): string {
  const substituted = substituteLocalhost('Contact', value, p);
  return sips && substituted !== value ? secureContact(substituted, p) : substituted;
}

/** A `sip:` Contact (name-addr or addr-spec) as the `sips:` URI a SIPS request needs, on a TLS point only. */
export function secureContact(value: string, p: LocalPoint): string {
  if (p.transport !== 'tls') return value;
  return value.replace(/^(\s*(?:"[^"]*"\s*)?[^<"]*<\s*|\s*)sip:/i, '$1sips:').replace(/;transport=tls(?=[;>?]|$)/i, '');
}

export const wireHostport = (p: LocalPoint, useBind = false): string => `${p.transport}/${useBind ? p.host : p.advertised}:${p.port}`;
