import type { Trunk } from '../../domain/index.js';

/** `sip:<user>@host:port;transport=x` toward a trunk; IPv6 hosts are bracketed. */
export function trunkUri(trunk: Pick<Trunk, 'host' | 'port' | 'transport'>, user?: string): string {
  const host = trunk.host.includes(':') && !trunk.host.startsWith('[') ? `[${trunk.host}]` : trunk.host;
  return `sip:${user === undefined ? '' : `${user}@`}${host}:${trunk.port};transport=${trunk.transport}`;
}
