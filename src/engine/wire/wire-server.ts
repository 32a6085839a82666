import net from 'node:net';
import type { Logger } from 'pino';
import { AppConnection } from './app-connection.js';
import { AppRouter } from './app-router.js';
import { FrameError } from './frame-decoder.js';
import { decodeAppFrame, failFrame, okFrame, type AppFrame } from './leader.js';

export interface WireServerOptions {
  host: string;
  port: number;
  secret: string;
  version: string;
  maxFrameBytes: number;
  hostports(): string;
  localHostports(): string;
}

/** What the wire server hands to the engine core. */
export interface WireCommandHandler {
  onSipCommand(conn: AppConnection, frame: AppFrame): void;
  onProxyCommand(conn: AppConnection, frame: AppFrame): void;
  onAppGone(conn: AppConnection): void;
}

let nextConnId = 1;

/** Server side of the drachtio wire protocol, inbound mode (§2.1). */
export class WireServer {
  private server: net.Server;
  readonly router = new AppRouter();
  private readonly conns = new Map<string, AppConnection>();
  boundPort = 0;

  constructor(
    private readonly opts: WireServerOptions,
    private readonly handler: WireCommandHandler,
    private readonly log: Logger,
    private readonly onCount: (delta: number) => void,
  ) {
    this.server = net.createServer((s) => this.accept(s));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const a = this.server.address();
    this.boundPort = a && typeof a === 'object' ? a.port : this.opts.port;
  }

  async stop(): Promise<void> {
    for (const c of this.conns.values()) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get(id: string): AppConnection | undefined {
    return this.conns.get(id);
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  private accept(socket: net.Socket): void {
    const conn = new AppConnection(`app-${nextConnId++}`, socket, this.opts.maxFrameBytes);
    this.conns.set(conn.id, conn);
    this.onCount(1);
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    this.log.info({ app: conn.id, remote: conn.remote }, 'application connected');
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('error', (err) => this.log.debug({ app: conn.id, err: err.message }, 'application socket error'));
    socket.on('close', () => {
      conn.closed = true;
      this.conns.delete(conn.id);
      this.router.removeAll(conn);
      this.onCount(-1);
      this.log.info({ app: conn.id }, 'application disconnected');
      this.handler.onAppGone(conn);
    });
  }

  private onData(conn: AppConnection, chunk: Buffer): void {
    conn.decoder.push(chunk);
    try {
      for (let payload = conn.decoder.next(); payload !== undefined; payload = conn.decoder.next()) {
        this.dispatch(conn, decodeAppFrame(payload));
        if (conn.closed) return;
      }
    } catch (err) {
      const reason = err instanceof FrameError ? err.message : `internal error: ${(err as Error).message}`;
      this.log.warn({ app: conn.id, reason }, 'closing application connection: bad frame');
      if (!(err instanceof FrameError)) this.log.error({ err }, 'wire command failed');
      conn.socket.destroy();
    }
  }

  private dispatch(conn: AppConnection, f: AppFrame): void {
    if (f.type === 'authenticate') return this.authenticate(conn, f);
    if (!conn.authenticated) {
      conn.send(failFrame(f.msgId, 'NO', 'not authenticated'));
      conn.socket.end();
      return;
    }
    switch (f.type) {
      case 'ping':
        return conn.send(okFrame(f.msgId, 'pong'));
      case 'route':
        this.router.add(conn, f.args[0] ?? '');
        return conn.send(okFrame(f.msgId));
      case 'remove_route':
        this.router.remove(conn, f.args[0] ?? '');
        return conn.send(okFrame(f.msgId));
      case 'sip':
        return this.handler.onSipCommand(conn, f);
      case 'proxy':
        return this.handler.onProxyCommand(conn, f);
      default:
        conn.send(failFrame(f.msgId, 'NOK', `unknown message type: ${f.type}`));
    }
  }

  private authenticate(conn: AppConnection, f: AppFrame): void {
    if ((f.args[0] ?? '') !== this.opts.secret) {
      this.log.warn({ app: conn.id, remote: conn.remote }, 'application failed to authenticate');
      conn.send(failFrame(f.msgId, 'NO', 'incorrect secret'));
      conn.socket.end();
      return;
    }
    conn.authenticated = true;
    conn.tags = (f.args[1] ?? '').split(',').filter(Boolean);
    conn.send(okFrame(f.msgId, this.opts.hostports(), this.opts.version, this.opts.localHostports()));
  }
}
