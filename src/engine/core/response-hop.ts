import type { Hop } from '../transaction/types.js';
import type { Inbound } from '../transport/types.js';
import type { Core } from './contexts.js';

/** RFC 3261 §18.2.2: where responses to a request go. */
export function responseHop(core: Core, inbound: Inbound, viaPort: number | undefined, rportAsked: boolean): Hop {
  if (inbound.remote.transport !== 'udp') return core.hopFor(inbound.remote, inbound.connectionId);
  return { transport: 'udp', address: inbound.remote.address, port: rportAsked ? inbound.remote.port : (viaPort ?? 5060) };
}
