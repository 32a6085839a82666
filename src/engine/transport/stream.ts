import type net from 'node:net';
import { StreamFramer } from '../../sip/stream-framer.js';
import type { Endpoint, Inbound, SendErrorHandler } from './types.js';

/** What differs between TCP and TLS: how the listen socket is made and how a connection is dialled. */
export interface StreamFlavor {
  readonly name: 'tcp' | 'tls';
  /** `onSocket` receives connections ready for SIP (for TLS: after the handshake) */
  createServer(onSocket: (socket: net.Socket) => void, onRejected: (peer: Endpoint, reason: string) => void): net.Server;
  /** a new outbound connection and the event after which it may carry SIP */
  connect(dest: Endpoint, localAddress: string | undefined): { socket: net.Socket; ready: 'connect' | 'secureConnect' };
}

export interface StreamOptions {
  maxMessageSize: number;
  /** a peer that leaves a partial message buffered this long is disconnected */
  partialMessageTimeoutMs: number;
  /** connections with no traffic for this long are closed */
  idleTimeoutMs: number;
}

export interface StreamEvents {
  onMessage(m: Inbound): void;
  onRejectedPeer(peer: Endpoint, reason: string): void;
  onConnectionCount(delta: number): void;
}

const keyOf = (address: string, port: number): string => `${address}:${port}`;

class StreamConnection {
  readonly framer: StreamFramer;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  stallTimer: NodeJS.Timeout | undefined;
  pending: Array<{ buf: Buffer; onError?: SendErrorHandler }> | undefined;

  constructor(
    readonly id: string,
    readonly socket: net.Socket,
    remote: Endpoint,
    local: Endpoint,
    maxSize: number,
  ) {
    this.framer = new StreamFramer(maxSize);
    this.remote = remote;
    this.local = local;
  }
}

let nextId = 1;

/** A TCP or TLS listen point plus every connection (inbound or outbound) it owns. */
export class StreamTransport {
  private server: net.Server;
  private readonly byPeer = new Map<string, StreamConnection>();
  private readonly byId = new Map<string, StreamConnection>();
  readonly local: Endpoint;

  constructor(
    host: string,
    port: number,
    private readonly opts: StreamOptions,
    private readonly events: StreamEvents,
    private readonly flavor: StreamFlavor,
  ) {
    this.local = { address: host, port };
    this.server = flavor.createServer((socket) => this.adopt(socket), events.onRejectedPeer);
  }

  get transport(): 'tcp' | 'tls' {
    return this.flavor.name;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.local.port, this.local.address, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    if (addr && typeof addr === 'object') (this.local as { port: number }).port = addr.port;
  }

  get connectionCount(): number {
    return this.byId.size;
  }

  hasConnection(id: string): boolean {
    return this.byId.has(id);
  }

  /** Send on an existing connection (by id, else by peer address) or open a new one. */
  send(dest: Endpoint, buf: Buffer, onError?: SendErrorHandler, connectionId?: string): void {
    const conn = (connectionId && this.byId.get(connectionId)) || this.byPeer.get(keyOf(dest.address, dest.port));
    if (conn) {
      if (conn.pending) conn.pending.push({ buf, onError });
      else conn.socket.write(buf);
      return;
    }
    const wildcard = this.local.address === '0.0.0.0' || this.local.address === '::';
    const { socket, ready } = this.flavor.connect(dest, wildcard ? undefined : this.local.address);
    const c = this.adopt(socket, dest);
    c.pending = [{ buf, onError }];
    socket.once(ready, () => {
      const queued = c.pending ?? [];
      c.pending = undefined;
      for (const p of queued) socket.write(p.buf);
    });
  }

  async stop(): Promise<void> {
    for (const c of this.byId.values()) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private adopt(socket: net.Socket, dialled?: Endpoint): StreamConnection {
    const remote = dialled ?? { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const id = `${this.flavor.name}-${nextId++}`;
    const conn = new StreamConnection(id, socket, remote, this.local, this.opts.maxMessageSize);
    this.byId.set(id, conn);
    this.byPeer.set(keyOf(remote.address, remote.port), conn);
    this.events.onConnectionCount(1);
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.idleTimeoutMs);
    socket.on('timeout', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('error', (err) => {
      if (conn.pending) for (const p of conn.pending) p.onError?.(err);
      conn.pending = undefined;
    });
    socket.on('close', () => {
      if (conn.stallTimer) clearTimeout(conn.stallTimer);
      if (conn.pending) for (const p of conn.pending) p.onError?.(new Error('connection closed'));
      conn.pending = undefined;
      this.byId.delete(id);
      if (this.byPeer.get(keyOf(remote.address, remote.port)) === conn) this.byPeer.delete(keyOf(remote.address, remote.port));
      this.events.onConnectionCount(-1);
    });
    return conn;
  }

  private onData(conn: StreamConnection, chunk: Buffer): void {
    conn.framer.push(chunk);
    for (;;) {
      const r = conn.framer.next();
      if (r.kind === 'need-more') break;
      if (r.kind === 'error') {
        this.events.onRejectedPeer(conn.remote, r.reason);
        conn.socket.destroy();
        return;
      }
      this.events.onMessage({
        buf: r.buf,
        remote: { transport: this.flavor.name, address: conn.remote.address, port: conn.remote.port },
        local: conn.local,
        connectionId: conn.id,
      });
      if (conn.socket.destroyed) return;
    }
    if (conn.stallTimer) {
      clearTimeout(conn.stallTimer);
      conn.stallTimer = undefined;
    }
    if (conn.framer.buffered > 0) {
      conn.stallTimer = setTimeout(() => {
        this.events.onRejectedPeer(conn.remote, 'partial message stalled');
        conn.socket.destroy();
      }, this.opts.partialMessageTimeoutMs);
    }
  }
}
