import type { Logger } from 'pino';

/**
 * `memory`: no shared store configured (nothing can fail). `connecting`: before the first
 * connection. `up`: commands are answered. `down`: the connection is lost, or it is open but the
 * store stopped answering the probe.
 */
export type StoreState = 'memory' | 'connecting' | 'up' | 'down';

export interface StoreHealthSnapshot {
  state: StoreState;
  /** when the state last changed (ISO time) */
  since: string;
  /** why the store went down (the connection's last error), while down */
  cause?: string;
  /** how often the store went down since start */
  outages: number;
}

export interface StoreHealthOptions {
  log: Logger;
  /** A cheap round trip (PING) while the connection claims to be up; rejects when the store does not answer. */
  probe?: () => Promise<unknown>;
  /** How often the probe runs (ms); 0 disables it. */
  probeEveryMs?: number;
  /** `memory` for an instance without Redis */
  initial?: 'memory' | 'connecting';
}

type Listener = (state: StoreState) => void;

/**
 * The one place that knows whether the shared store (Redis) works. Fed by the connection's
 * events (see watch-redis.ts) and by a periodic probe that catches a store that still accepts
 * the connection but no longer answers. Logs one error line when the store goes down and one
 * info line when it is back; every other event changes nothing.
 */
export class StoreHealth {
  private current: StoreState;
  private changedAt = Date.now();
  private cause: string | undefined;
  private lastError: string | undefined;
  private outages = 0;
  private downAt = 0;
  /** true while the connection is open (ready); the probe then decides between up and down */
  private connectionOpen = false;
  private probing = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: Listener[] = [];
  private readonly log: Logger;

  constructor(private readonly opts: StoreHealthOptions) {
    this.log = opts.log;
    this.current = opts.initial ?? 'connecting';
    const every = opts.probeEveryMs ?? 1_000;
    if (opts.probe && every > 0 && this.current !== 'memory') {
      this.timer = setInterval(() => void this.runProbe(), every);
      this.timer.unref();
    }
  }

  get state(): StoreState {
    return this.current;
  }

  /**
   * false only while the store is known to be down. Before the first connection commands are
   * worth sending: they wait for it (bounded by the command timeout) unless it fails first.
   */
  get usable(): boolean {
    return this.current !== 'down';
  }

  /** Called with every state change (after the log line). */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  snapshot(): StoreHealthSnapshot {
    return {
      state: this.current,
      since: new Date(this.changedAt).toISOString(),
      ...(this.current === 'down' && this.cause !== undefined && { cause: this.cause }),
      outages: this.outages,
    };
  }

  /** The connection is ready for commands. */
  connected(): void {
    this.connectionOpen = true;
    this.enter('up');
  }

  /** The connection reported an error: remembered as the cause of the outage it usually precedes. */
  errored(err: unknown): void {
    this.lastError = describe(err);
  }

  /** The connection closed (or gave up): the store is down until it is ready again. */
  lost(reason?: string): void {
    this.connectionOpen = false;
    this.enter('down', this.lastError ?? reason ?? 'connection closed');
  }

  /** Before the connection is closed on purpose: its closing is no outage. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async runProbe(): Promise<void> {
    if (this.probing || !this.connectionOpen || !this.opts.probe) return;
    this.probing = true;
    try {
      await this.opts.probe();
      if (this.connectionOpen) this.enter('up');
    } catch (err) {
      if (this.connectionOpen) this.enter('down', `not answering: ${describe(err)}`);
    } finally {
      this.probing = false;
    }
  }

  private enter(next: 'up' | 'down', cause?: string): void {
    const prev = this.current;
    if (prev === next || prev === 'memory' || this.stopped) return;
    const now = Date.now();
    this.current = next;
    this.changedAt = now;
    if (next === 'down') {
      this.cause = cause;
      this.outages++;
      this.downAt = now;
      const first = prev === 'connecting';
      this.log.error(
        { store: 'redis', cause },
        first ? 'store unreachable at start: registrations buffered, calls served from the local cache' : 'store down: registrations buffered, calls served from the local cache',
      );
    } else {
      this.cause = undefined;
      this.lastError = undefined;
      if (prev === 'down') this.log.info({ store: 'redis', downForMs: now - this.downAt }, 'store back up: buffered registrations being written');
      else this.log.info({ store: 'redis' }, 'store connected');
    }
    for (const l of this.listeners) {
      try {
        l(next);
      } catch (err) {
        this.log.error({ err }, 'store state listener failed');
      }
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
