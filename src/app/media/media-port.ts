import Mrf from 'drachtio-fsmrf';
import type Srf from 'drachtio-srf';
import type { Logger } from 'pino';

/** One media server the application talks to (an event socket: embedded, or FreeSWITCH). */
export interface MediaServerAddress {
  address: string;
  port: number;
  secret: string;
  /** where the media server's outbound event socket connects back to this application */
  listenAddress: string;
  advertisedAddress?: string;
}

export interface MediaPortHealth {
  servers: { address: string; connected: boolean }[];
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/**
 * The application's one door to media: connects drachtio-fsmrf to every configured media server,
 * reconnects with back-off when one goes away, and hands out a connected one for each call that
 * needs media (round robin). Calls that need no media never come here.
 */
export class MediaPort {
  private readonly mrf: Mrf;
  private readonly connected = new Map<number, Mrf.MediaServer>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private next = 0;
  private stopped = false;

  constructor(
    srf: Srf,
    private readonly servers: readonly MediaServerAddress[],
    private readonly log: Logger,
  ) {
    this.mrf = new Mrf(srf);
  }

  start(): void {
    this.servers.forEach((_s, i) => void this.connect(i, FIRST_RETRY_MS));
  }

  /** A connected media server, or undefined when none is (the caller then goes on without media). */
  pick(): Mrf.MediaServer | undefined {
    const live = [...this.connected.values()];
    if (live.length === 0) return undefined;
    return live[this.next++ % live.length];
  }

  health(): MediaPortHealth {
    return { servers: this.servers.map((s, i) => ({ address: `${s.address}:${s.port}`, connected: this.connected.has(i) })) };
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const ms of this.connected.values()) ms.disconnect();
    this.connected.clear();
  }

  private async connect(i: number, retryMs: number): Promise<void> {
    const s = this.servers[i]!;
    const where = `${s.address}:${s.port}`;
    try {
      const ms = await this.mrf.connect({
        address: s.address,
        port: s.port,
        secret: s.secret,
        listenAddress: s.listenAddress,
        ...(s.advertisedAddress !== undefined && { advertisedAddress: s.advertisedAddress }),
      });
      if (this.stopped) return ms.disconnect();
      this.connected.set(i, ms);
      this.log.info({ mediaServer: where }, 'media server connected');
      const lost = (why: string): void => {
        if (this.connected.get(i) !== ms) return;
        this.connected.delete(i);
        this.log.warn({ mediaServer: where, why }, 'media server connection lost; reconnecting');
        this.retry(i, FIRST_RETRY_MS);
      };
      ms.on('end', () => lost('closed'));
      ms.on('error', (err: Error) => lost(err.message));
    } catch (err) {
      if (this.stopped) return;
      this.log.warn({ mediaServer: where, err: err instanceof Error ? err.message : String(err), retryMs }, 'media server not reachable; retrying');
      this.retry(i, Math.min(retryMs * 2, MAX_RETRY_MS), retryMs);
    }
  }

  private retry(i: number, nextRetryMs: number, delayMs = nextRetryMs): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.connect(i, nextRetryMs);
    }, delayMs);
    this.timers.add(t);
  }
}
