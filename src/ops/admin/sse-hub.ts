import type { AppEvent, AppEvents } from '../../app/events/app-events.js';

/** The part of an HTTP response a stream client writes to (a ServerResponse, or any Writable). */
export interface SseSink {
  write(chunk: string): boolean;
  readonly writableLength: number;
  end(): void;
  destroy(): void;
}

export interface SseHubOptions {
  /** bytes a client may have waiting unsent before it is dropped as stalled */
  maxBufferedBytes: number;
  maxClients: number;
  /** a comment line this often keeps proxies and the browser from timing out (0 = off) */
  heartbeatMs: number;
  onDrop?: (reason: 'stalled') => void;
}

export const DEFAULT_SSE_OPTIONS: SseHubOptions = { maxBufferedBytes: 256 * 1024, maxClients: 32, heartbeatMs: 15_000 };

/**
 * Fans the app's events out to server-sent-event streams. It listens to the bus only while a
 * client is connected, serialises each event once, and drops a client whose unsent bytes pass
 * `maxBufferedBytes` (a stalled reader must not make the process hold an unbounded backlog).
 */
export class SseHub {
  private readonly clients = new Set<SseSink>();
  private unsubscribe: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(
    private readonly events: AppEvents,
    private readonly o: SseHubOptions = DEFAULT_SSE_OPTIONS,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  get full(): boolean {
    return this.clients.size >= this.o.maxClients;
  }

  /** Starts a stream on `sink`; the returned function ends it (call it when the connection closes). */
  add(sink: SseSink): () => void {
    this.clients.add(sink);
    // `retry` tells EventSource-like clients to reconnect after 3 s; `ready` says the stream is live
    this.send(sink, `retry: 3000\nevent: ready\ndata: {}\n\n`);
    this.unsubscribe ??= this.events.subscribe((e) => this.broadcast(e));
    if (this.heartbeat === undefined && this.o.heartbeatMs > 0) {
      this.heartbeat = setInterval(() => this.broadcastText(': keep-alive\n\n'), this.o.heartbeatMs);
      this.heartbeat.unref();
    }
    return () => this.remove(sink);
  }

  /** Ends every stream (server shutdown). */
  closeAll(): void {
    for (const c of [...this.clients]) {
      this.remove(c);
      c.end();
    }
  }

  private remove(sink: SseSink): void {
    if (!this.clients.delete(sink) || this.clients.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private broadcast(e: AppEvent): void {
    this.broadcastText(`id: ${++this.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  }

  private broadcastText(text: string): void {
    for (const c of [...this.clients]) this.send(c, text);
  }

  private send(sink: SseSink, text: string): void {
    if (sink.writableLength + text.length > this.o.maxBufferedBytes) {
      this.remove(sink);
      sink.destroy();
      this.o.onDrop?.('stalled');
      return;
    }
    sink.write(text);
  }
}
