import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LeaseStore } from '../../store/lease-store.js';
import type { RegisterSender } from './register-request.js';
import { nextRegistrationState, refreshDelayMs, RegistrationState, retryDelayMs, type RegistrationEvent } from './registration-state.js';

export interface RegistrationClientOptions {
  send: RegisterSender;
  /** one instance per trunk registers: the holder of this lease */
  lease: LeaseStore;
  leaseName: string;
  holder: string;
  /** seconds asked for (the carrier's grant wins) */
  expires: number;
  log: Logger;
  /** lease expiry; renewed (and tried by standbys) every third of it. Default 30 s. */
  leaseTtlMs?: number;
  /** back-off after failures: 5 s, 10 s, 20 s … at most 300 s by default */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface RegistrationStatus {
  state: RegistrationState;
  /** when the carrier's grant runs out (ms since epoch), while registered */
  expiresAt?: number;
  /** consecutive failed REGISTERs */
  failures: number;
  /** final status of the last REGISTER */
  lastStatus?: number;
}

/**
 * One trunk's outbound registration, driven by `nextRegistrationState`: takes the lease, registers,
 * refreshes at 90% of the granted expiry, retries failures with exponential back-off, steps back
 * to standby when another instance holds the lease, and unREGISTERs (Expires: 0) on stop. Keeps
 * one Call-ID and increasing CSeqs across refreshes (RFC 3261 §10.2.4). Timers are unref'd.
 */
export class RegistrationClient {
  private current = RegistrationState.Idle;
  private failures = 0;
  private lastStatus: number | undefined;
  private expiresAt: number | undefined;
  private granted = 0;
  private requested: number;
  private retryNow = false;
  private timer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private readonly callId = `${randomUUID()}@trunk-registration`;
  private cseq = 1;
  private unregistered: Promise<void> | undefined;

  constructor(private readonly o: RegistrationClientOptions) {
    this.requested = o.expires;
  }

  get state(): RegistrationState {
    return this.current;
  }

  status(): RegistrationStatus {
    return {
      state: this.current,
      failures: this.failures,
      ...(this.expiresAt !== undefined && this.current === RegistrationState.Registered && { expiresAt: this.expiresAt }),
      ...(this.lastStatus !== undefined && { lastStatus: this.lastStatus }),
    };
  }

  start(): void {
    if (this.current !== RegistrationState.Idle) return;
    const every = Math.max(50, Math.floor((this.o.leaseTtlMs ?? 30_000) / 3));
    this.leaseTimer = setInterval(() => void this.checkLease(), every);
    this.leaseTimer.unref();
    void this.checkLease();
  }

  /** Stops; a registered client first unREGISTERs (bounded by the sender's own timeout). */
  async stop(): Promise<void> {
    this.dispatch({ type: 'stop' });
    await this.unregistered;
    clearInterval(this.leaseTimer);
    clearTimeout(this.timer);
    await this.o.lease.release(this.o.leaseName, this.o.holder).catch(() => undefined);
  }

  /** the last lease check failed (its warning is not repeated) */
  private leaseUnchecked = false;

  private async checkLease(): Promise<void> {
    let held: boolean;
    try {
      held = await this.o.lease.hold(this.o.leaseName, this.o.holder, this.o.leaseTtlMs ?? 30_000);
    } catch (err) {
      // the store is unreachable: keep doing what we do; another try on the next tick (logged once)
      if (!this.leaseUnchecked) this.o.log.warn({ err: String(err) }, 'registration lease not checked (store error); kept as it was until the store answers');
      this.leaseUnchecked = true;
      return;
    }
    this.leaseUnchecked = false;
    this.dispatch({ type: 'lease', held });
  }

  private dispatch(event: RegistrationEvent): void {
    const next = nextRegistrationState(this.current, event);
    if (next === undefined || next === this.current) return;
    const prev = this.current;
    this.current = next;
    clearTimeout(this.timer);
    this.timer = undefined;
    const refresh =
      (prev === RegistrationState.Registered && next === RegistrationState.Registering) || (prev === RegistrationState.Registering && next === RegistrationState.Registered && this.refreshing);
    const fields = { state: next, from: prev, failures: this.failures, lastStatus: this.lastStatus };
    if (refresh) this.o.log.debug(fields, next === RegistrationState.Registered ? `registration refreshed (${this.granted} s)` : 'refreshing registration');
    else if (next === RegistrationState.Failed) this.o.log.warn(fields, `registration failed (${this.lastStatus ?? 'no answer'}); retrying`);
    else this.o.log.info({ ...fields, ...(next === RegistrationState.Registered && { expires: this.granted }) }, `registration ${next}`);
    this.enter(next, prev);
  }

  private refreshing = false;

  private enter(state: RegistrationState, prev: RegistrationState): void {
    switch (state) {
      case RegistrationState.Registering:
        this.refreshing = prev === RegistrationState.Registered;
        void this.register();
        return;
      case RegistrationState.Registered:
        this.schedule(refreshDelayMs(this.granted));
        return;
      case RegistrationState.Failed: {
        const delay = this.retryNow ? 0 : retryDelayMs(this.failures, this.o.retryBaseMs ?? 5_000, this.o.retryMaxMs ?? 300_000);
        this.retryNow = false;
        this.schedule(delay);
        return;
      }
      case RegistrationState.Unregistering:
        this.unregistered = this.o.send(0, this.callId, this.nextSeq()).then(
          (a) => this.dispatch({ type: a.status >= 200 && a.status < 300 ? 'accepted' : 'rejected' }),
          () => this.dispatch({ type: 'done' }),
        );
        return;
      case RegistrationState.Standby:
      case RegistrationState.Stopped:
        this.expiresAt = undefined;
        if (state === RegistrationState.Stopped) clearInterval(this.leaseTimer);
        return;
      case RegistrationState.Idle:
        return;
    }
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.dispatch({ type: 'timer' }), ms);
    this.timer.unref();
  }

  private nextSeq(): number {
    const seq = this.cseq;
    this.cseq += 2; // the digest client re-sends a challenged REGISTER with CSeq + 1
    return seq;
  }

  private async register(): Promise<void> {
    let status: number;
    let granted: number | undefined;
    let minExpires: number | undefined;
    try {
      const a = await this.o.send(this.requested, this.callId, this.nextSeq());
      ({ status } = a);
      granted = a.expires;
      minExpires = a.minExpires;
    } catch {
      status = 503;
    }
    if (this.current !== RegistrationState.Registering) return; // stopped or stood by meanwhile
    this.lastStatus = status;
    if (status >= 200 && status < 300 && (granted ?? this.requested) > 0) {
      this.failures = 0;
      this.granted = granted ?? this.requested;
      this.expiresAt = Date.now() + this.granted * 1000;
      this.dispatch({ type: 'accepted' });
      return;
    }
    this.failures++;
    if (status === 423 && minExpires !== undefined && minExpires > this.requested) {
      this.requested = minExpires; // Interval Too Brief: ask again at once for what it wants
      this.retryNow = true;
    }
    this.dispatch({ type: 'rejected' });
  }
}
