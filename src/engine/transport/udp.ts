import dgram from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP, isIPv6 } from 'node:net';
import type { Endpoint, Inbound, SendErrorHandler } from './types.js';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram resolves every destination, even an IP literal, through dns.lookup, which answers on the
 * next tick: each send then costs a closure, a tick and a deferred syscall. Destinations here are
 * nearly always literals (Via received/rport, resolved targets), so those are answered at once.
 */
export function literalFirstLookup(host: string, opts: LookupOneOptions | number, cb: LookupCallback): void {
  const family = isIP(host);
  if (family !== 0) cb(null, host, family);
  else dnsLookup(host, typeof opts === 'number' ? { family: opts } : opts, cb);
}

/** One bound UDP socket of a listen point. */
export class UdpTransport {
  private socket: dgram.Socket;
  readonly local: Endpoint;

  constructor(
    host: string,
    port: number,
    private readonly onMessage: (m: Inbound) => void,
    private readonly onError: (e: Error) => void,
    /**
     * Kernel socket buffers. The default (~200 KB) holds a few hundred datagrams: a 50 ms pause
     * (a GC, a burst) at thousands of messages a second overflows it and the peer retransmits.
     * Linux caps the value at net.core.rmem_max / wmem_max.
     */
    bufferBytes = 4 * 1024 * 1024,
  ) {
    this.socket = dgram.createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false, lookup: literalFirstLookup, recvBufferSize: bufferBytes, sendBufferSize: bufferBytes });
    this.local = { address: host, port };
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.local.port, this.local.address, () => {
        this.socket.off('error', reject);
        resolve();
      });
    });
    const addr = this.socket.address();
    (this.local as { port: number }).port = addr.port;
    this.socket.on('error', this.onError);
    this.socket.on('message', (buf, rinfo) => {
      this.onMessage({ buf, remote: { transport: 'udp', address: rinfo.address, port: rinfo.port }, local: this.local });
    });
  }

  send(dest: Endpoint, buf: Buffer, onError?: SendErrorHandler): void {
    // without a callback a send error reaches the socket's 'error' handler
    if (onError) this.socket.send(buf, dest.port, dest.address, (err) => err && onError(err));
    else this.socket.send(buf, dest.port, dest.address);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
