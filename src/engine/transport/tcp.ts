import net from 'node:net';
import type { StreamFlavor } from './stream.js';

/** Plain TCP (RFC 3261 §18.3). */
export const tcpFlavor: StreamFlavor = {
  name: 'tcp',
  createServer: (onSocket) => net.createServer(onSocket),
  connect: (dest, localAddress) => ({ socket: net.connect({ host: dest.address, port: dest.port, localAddress }), ready: 'connect' }),
};
