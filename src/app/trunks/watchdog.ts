import type Srf from 'drachtio-srf';
import type { Logger } from 'pino';
import type { Tenant, Trunk } from '../../domain/index.js';
import type { TrunkRegistry } from './trunk-registry.js';
import { trunkUri } from './trunk-uri.js';

/** The parts of srf's sent request we use (its typings do not describe the callback form). */
interface SentRequest {
  on(event: 'response', listener: (res: { status: number }) => void): void;
}
type SendRequest = (uri: string, opts: { method: string; headers?: Record<string, string> }, cb: (err: unknown, req?: SentRequest) => void) => void;

/** Longest wait for a ping's answer: the engine's own timeout (Timer F, 32 s) is too slow for health. */
const MAX_PING_WAIT_MS = 5000;

/**
 * OPTIONS qualify per trunk at its `optionsPingIntervalSeconds` (0 = off). A ping fails on no
 * answer within min(interval, 5 s), 408 or 503 (engine-synthesized for transport errors too);
 * any other answer — even 404/405 — shows a live SBC. The first ping goes out one interval after
 * start, so a restart does not flood carriers. Timers are unref'd: they never keep a process alive.
 */
export class TrunkWatchdog {
  /** one interval per pinged trunk, by `tenant/trunk`, with what it was started for */
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; target: string }>();
  private stopped = false;

  constructor(
    private readonly srf: Srf,
    private readonly registry: TrunkRegistry,
    private readonly log: Logger,
  ) {}

  start(tenants: Iterable<Tenant>): void {
    this.follow(tenants);
  }

  /**
   * Pings exactly the trunks of `tenants` (a configuration reload): a removed trunk or one whose
   * address or interval changed stops being pinged, a new or changed one starts one interval
   * from now. Unchanged trunks keep their rhythm.
   */
  follow(tenants: Iterable<Tenant>): void {
    if (this.stopped) return;
    const wanted = new Map<string, { tenant: string; trunk: Trunk; seconds: number; target: string }>();
    for (const tenant of tenants) {
      for (const trunk of tenant.trunks.values()) {
        const seconds = trunk.optionsPingIntervalSeconds;
        if (seconds === undefined || seconds <= 0) continue;
        wanted.set(`${tenant.name}/${trunk.name}`, { tenant: tenant.name, trunk, seconds, target: `${trunkUri(trunk)} every ${seconds} s` });
      }
    }
    for (const [key, running] of this.timers) {
      if (wanted.get(key)?.target === running.target) continue;
      clearInterval(running.timer);
      this.timers.delete(key);
      this.log.info({ trunk: key, was: running.target }, wanted.has(key) ? 'trunk watchdog: ping target changed' : 'trunk watchdog: trunk no longer pinged');
    }
    for (const [key, w] of wanted) {
      if (this.timers.has(key)) continue;
      const timer = setInterval(() => void this.ping(w.tenant, w.trunk, w.seconds * 1000), w.seconds * 1000);
      timer.unref();
      this.timers.set(key, { timer, target: w.target });
    }
  }

  /** `tenant/trunk` of every pinged trunk (tests, diagnostics). */
  pinged(): string[] {
    return [...this.timers.keys()];
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearInterval(t.timer);
    this.timers.clear();
  }

  /** One ping; resolves with whether the trunk answered. Exposed for tests and admin "qualify now". */
  ping(tenant: string, trunk: Trunk, intervalMs: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    const waitMs = Math.min(intervalMs, MAX_PING_WAIT_MS);
    return new Promise<boolean>((resolve) => {
      let done = false;
      const finish = (ok: boolean | undefined, detail: string): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        // undefined: we could not even send (no engine); not the trunk's fault, not counted
        if (ok !== undefined) this.registry.report(tenant, trunk.name, ok, detail);
        resolve(ok === true);
      };
      const timer = setTimeout(() => finish(false, `no answer to OPTIONS within ${waitMs} ms`), waitMs);
      timer.unref();
      const send = this.srf.request.bind(this.srf) as unknown as SendRequest;
      try {
        send(trunkUri(trunk), { method: 'OPTIONS', headers: { 'Max-Forwards': '70' } }, (err, req) => {
          if (err || req === undefined) return finish(undefined, 'could not send OPTIONS');
          req.on('response', (res) => finish(res.status !== 408 && res.status !== 503, `OPTIONS answered ${res.status}`));
        });
      } catch (err) {
        this.log.debug({ err: String(err), trunk: trunk.name }, 'OPTIONS ping not sent');
        finish(undefined, 'could not send OPTIONS');
      }
    });
  }
}
