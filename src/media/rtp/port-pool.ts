import { createSocket, type Socket } from 'node:dgram';
import { MediaError } from '../errors.js';

/**
 * RTP peers are IP literals: answer dgram's address lookup synchronously. The default goes through
 * dns.lookup, which defers every single send to process.nextTick and allocates on the way.
 */
function literalLookup(host: string, _opts: unknown, cb: (err: Error | null, address: string, family: number) => void): void {
  cb(null, host, 4);
}

/** Even RTP ports from a range, bound on demand (ports another process holds are skipped). */
export class PortPool {
  private readonly inUse = new Set<number>();
  private cursor: number;

  constructor(
    private readonly address: string,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.cursor = start + (start % 2);
  }

  get allocated(): number {
    return this.inUse.size;
  }

  async bind(): Promise<{ socket: Socket; port: number }> {
    const span = Math.floor((this.end - this.start) / 2) + 1;
    for (let tries = 0; tries < span; tries++) {
      const port = this.cursor;
      this.cursor += 2;
      if (this.cursor > this.end) this.cursor = this.start + (this.start % 2);
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      const socket = createSocket({ type: 'udp4', lookup: literalLookup });
      const ok = await new Promise<boolean>((resolve) => {
        socket.once('error', () => resolve(false));
        socket.bind(port, this.address, () => resolve(true));
      });
      if (ok) return { socket, port };
      this.inUse.delete(port);
      socket.close();
    }
    throw new MediaError('MEDIA_NO_RTP_PORT', `no free RTP port in ${this.start}-${this.end} on ${this.address}`);
  }

  release(port: number, socket: Socket): void {
    if (!this.inUse.delete(port)) return;
    try {
      socket.close();
    } catch {
      // already closed
    }
  }
}
