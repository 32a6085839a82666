/** RFC 4028 session timer of one dialog, timed the way drachtio-server's SipDialog::setSessionTimer does. */
export enum SessionTimerState {
  Off = 'off',
  /** we are the refresher: a refresh goes out halfway through the interval */
  Refreshing = 'refreshing',
  /** the peer is the refresher: without a refresh by the end of the interval the session is over */
  Watching = 'watching',
  /** the dialog ended; nothing re-arms the timer */
  Ended = 'ended',
}

export type Refresher = 'us' | 'them';

/** drachtio-server's fixed Min-SE (SipDialog::m_nMinSE) and the floor it puts under a 2xx's interval. */
export const MIN_SE = 90;

export interface SessionTimerUser {
  /** halfway through: send the refreshing re-INVITE */
  refresh(secs: number): void;
  /** the peer did not refresh in time: end the dialog */
  expire(): void;
}

export interface SessionTimerClock {
  /** 1000 in production; tests shrink it to run a 90 s session in seconds */
  msPerSecond: number;
  /** drachtio spreads refreshes by ±5 s; returns a value in [-0.5, 0.5) */
  random(): number;
}

export const realClock: SessionTimerClock = { msPerSecond: 1000, random: () => Math.random() - 0.5 };

const JITTER_SECONDS = 10;

export class SessionTimer {
  state = SessionTimerState.Off;
  /** the negotiated interval, in seconds (0 when off) */
  secs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly user: SessionTimerUser,
    private readonly clock: SessionTimerClock = realClock,
  ) {}

  get weRefresh(): boolean {
    return this.state === SessionTimerState.Refreshing;
  }

  start(secs: number, who: Refresher): void {
    this.transition(who === 'us' ? SessionTimerState.Refreshing : SessionTimerState.Watching, secs);
  }

  /** A refresh arrived or is under way: the old deadline no longer applies. */
  stop(): void {
    this.transition(SessionTimerState.Off, 0);
  }

  end(): void {
    this.transition(SessionTimerState.Ended, 0);
  }

  /** The one guarded transition: clears the old state's timer and arms the new one's. */
  private transition(to: SessionTimerState, secs: number): void {
    if (this.state === SessionTimerState.Ended) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.state = to;
    this.secs = secs;
    if (to !== SessionTimerState.Refreshing && to !== SessionTimerState.Watching) return;
    const { msPerSecond } = this.clock;
    // drachtio ends the session at the full interval, not RFC 4028's interval − min(32, interval/3)
    const ms = to === SessionTimerState.Refreshing ? (secs / 2 + this.clock.random() * JITTER_SECONDS) * msPerSecond : secs * msPerSecond;
    this.timer = setTimeout(() => this.fire(to, secs), Math.max(0, ms));
    this.timer.unref?.();
  }

  private fire(was: SessionTimerState, secs: number): void {
    this.timer = undefined;
    this.transition(SessionTimerState.Off, 0);
    if (was === SessionTimerState.Refreshing) this.user.refresh(secs);
    else this.user.expire();
  }
}

export interface SessionExpires {
  delta: number;
  refresher: 'uac' | 'uas' | undefined;
}

/** `Session-Expires: 1800;refresher=uac` (RFC 4028 §4); undefined when absent or malformed. */
export function parseSessionExpires(value: string | undefined): SessionExpires | undefined {
  const m = /^\s*(\d+)\s*(;.*)?$/.exec(value ?? '');
  if (!m) return undefined;
  const r = /;\s*refresher\s*=\s*(uac|uas)\b/i.exec(m[2] ?? '');
  return { delta: Number(m[1]), refresher: r ? (r[1]!.toLowerCase() as 'uac' | 'uas') : undefined };
}
