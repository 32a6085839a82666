import type { TransportName } from '../transport/types.js';

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

/** `<sip:host:port[;transport=tcp]>` for server-generated Contacts (always bracketed, §10.2 S2). */
export function contactOf(p: LocalPoint, user?: string): string {
  const t = p.transport === 'udp' ? '' : `;transport=${p.transport}`;
  return `<sip:${user ? `${user}@` : ''}${hostPort(p)}${t}>`;
}

export const wireHostport = (p: LocalPoint, useBind = false): string => `${p.transport}/${useBind ? p.host : p.advertised}:${p.port}`;
