import type Srf from 'drachtio-srf';
import { IllegalLegTransition } from './leg-transition-error.js';
import { reasonPhrase } from '../../sip/index.js';

/** What one outgoing INVITE needs. */
export interface LegTarget {
  /** Request-URI (a device's Contact, or `sip:number@trunk`). */
  uri: string;
  /** Next hop when it differs from the Request-URI host: `sip:address:port;transport=x`. */
  proxy?: string;
  headers: Record<string, string>;
  localSdp: string;
  auth?: { username: string; password: string };
}

export type LegResult =
  | { kind: 'answered'; dialog: Srf.Dialog }
  /**
   * `local`: the request never got a response from the far end (send error). `abandoned`: the
   * owner had given the leg up. `timer`: which of the leg's own timers ended it (that verdict is
   * given when the timer fires, not when the CANCEL's 487 arrives).
   */
  | { kind: 'failed'; status: number; reason: string; local: boolean; abandoned: boolean; timer?: LegTimer };

export interface LegEvents {
  onProvisional?(status: number, reason: string, sdp: string | undefined): void;
}

export interface LegTimers {
  /** No provisional or final response within this long: the leg is cancelled and fails 408. */
  firstResponseTimeoutMs?: number;
  /** Not answered within this long of the INVITE (ring time, no-answer forward): the leg is cancelled and fails 480. */
  ringTimeoutMs?: number;
}

export type LegTimer = 'first-response' | 'no-answer';

/** Where an outgoing INVITE is. */
export enum UacLegState {
  /** handed to srf; not on the wire yet, so nothing can be cancelled */
  Calling = 'calling',
  /** on the wire; no provisional response yet */
  Trying = 'trying',
  /** a provisional response (18x) arrived */
  Ringing = 'ringing',
  /** given up by its owner before the far end said anything: CANCEL goes out once the INVITE is on the wire */
  Abandoned = 'abandoned',
  /** given up by its owner after a provisional response: CANCEL sent */
  Cancelling = 'cancelling',
  /** given up by one of its timers (verdict given at once): CANCEL sent or queued */
  Expired = 'expired',
  /** 2xx: the dialog belongs to the owner */
  Answered = 'answered',
  /** a final non-2xx (or a send error) while the leg was wanted */
  Failed = 'failed',
  /** the INVITE transaction of a leg that was given up has ended (a 2xx that crossed the CANCEL was hung up) */
  Cancelled = 'cancelled',
}

const S = UacLegState;

/** Where each state may go. */
const NEXT: Readonly<Record<UacLegState, readonly UacLegState[]>> = {
  [S.Calling]: [S.Trying, S.Ringing, S.Abandoned, S.Expired, S.Answered, S.Failed],
  [S.Trying]: [S.Ringing, S.Abandoned, S.Expired, S.Answered, S.Failed],
  [S.Ringing]: [S.Cancelling, S.Expired, S.Answered, S.Failed],
  [S.Abandoned]: [S.Cancelling, S.Expired, S.Cancelled],
  [S.Cancelling]: [S.Expired, S.Cancelled],
  [S.Expired]: [S.Cancelled],
  [S.Answered]: [],
  [S.Failed]: [],
  [S.Cancelled]: [],
};

/**
 * The timers alive in each state: a transition arms those of the new state that are not running
 * and clears the others. No state lists a timer that an earlier state had cleared, so a timer
 * never restarts. A leg its owner gave up keeps its timers: they bound the wait for the CANCEL's
 * answer from a far end that never responds.
 */
const TIMERS: Readonly<Record<UacLegState, readonly LegTimer[]>> = {
  [S.Calling]: ['first-response', 'no-answer'],
  [S.Trying]: ['first-response', 'no-answer'],
  [S.Ringing]: ['no-answer'],
  [S.Abandoned]: ['first-response', 'no-answer'],
  [S.Cancelling]: ['no-answer'],
  [S.Expired]: [],
  [S.Answered]: [],
  [S.Failed]: [],
  [S.Cancelled]: [],
};

/** States in which the leg has been given up and waits for its INVITE transaction to end. */
const GIVEN_UP: ReadonlySet<UacLegState> = new Set([S.Abandoned, S.Cancelling, S.Expired]);

/** The parts of srf's client request we use (srf's typings miss the real callback shapes). */
interface SentInvite {
  cancel(callback: (err: unknown) => void): void;
}
type RequestCallback = (err: unknown, req?: SentInvite) => void;
interface ProvisionalResponse {
  status: number;
  reason: string;
  body?: string;
}
interface SipErrorLike {
  status?: unknown;
  reason?: unknown;
}

/** The part of srf a leg uses. */
export type UacSrf = Pick<Srf, 'createUAC'>;

/**
 * One B2BUA leg: an INVITE sent with srf.createUAC that can be given up at any time (`abandon`,
 * or one of its own timers). `result` settles once: when the INVITE transaction ends, or when one
 * of the leg's timers gives it up. A leg given up that receives a late 2xx hangs it up itself, so
 * an owner that has moved on never receives a dialog it no longer wants.
 */
export class UacLeg {
  readonly result: Promise<LegResult>;
  private current: UacLegState = S.Calling;
  private sent: SentInvite | undefined;
  private settle!: (r: LegResult) => void;
  private readonly running = new Map<LegTimer, NodeJS.Timeout>();

  constructor(
    srf: UacSrf,
    target: LegTarget,
    events: LegEvents = {},
    private readonly timers: LegTimers = {},
  ) {
    // the first verdict wins: resolving a settled promise again does nothing
    this.result = new Promise<LegResult>((resolve) => (this.settle = resolve));
    const onRequest: RequestCallback = (err, req) => {
      if (err || req === undefined) return;
      this.sent = req;
      if (this.current === S.Calling) this.transition(S.Trying);
      // given up before it was on the wire: the CANCEL was waiting for it
      else if (GIVEN_UP.has(this.current)) this.sendCancel();
    };
    const onProvisional = (res: ProvisionalResponse): void => {
      if (this.current === S.Calling || this.current === S.Trying) this.transition(S.Ringing);
      else if (this.current === S.Abandoned) this.transition(S.Cancelling);
      if (this.current === S.Ringing) events.onProvisional?.(res.status, res.reason, res.body || undefined);
    };
    const opts: Srf.CreateUACOptions = {
      headers: target.headers,
      localSdp: target.localSdp,
      ...(target.proxy !== undefined && { proxy: target.proxy }),
      ...(target.auth !== undefined && { auth: target.auth }),
    };
    // srf calls cbRequest(err, req) and cbProvisional(res), unlike its typings: cast at this seam.
    const progress = { cbRequest: onRequest, cbProvisional: onProvisional } as unknown as {
      cbRequest: (req: Srf.SrfRequest) => void;
      cbProvisional: (res: Srf.SrfResponse) => void;
    };
    this.applyTimers(S.Calling);
    srf.createUAC(target.uri, opts, progress).then(
      (dialog) => this.answered(dialog),
      (err: unknown) => this.failed(err),
    );
  }

  get state(): UacLegState {
    return this.current;
  }

  /** Give this leg up: CANCEL while pending; a 2xx that crosses the CANCEL is hung up. Idempotent; nothing to do once it has ended. */
  abandon(): void {
    if (this.current === S.Calling || this.current === S.Trying) this.transition(S.Abandoned);
    else if (this.current === S.Ringing) this.transition(S.Cancelling);
  }

  /**
   * The one way the leg changes state: refuses a move the machine does not make (an answered leg
   * cannot be cancelled, only hung up: RFC 3261 §9.1), sends the CANCEL when the leg is given up
   * while on the wire, and arms or clears the timers of the new state.
   */
  transition(to: UacLegState): void {
    const from = this.current;
    if (!NEXT[from].includes(to)) throw new IllegalLegTransition('uac', from, to);
    this.current = to;
    this.applyTimers(to);
    // once per leg: a leg given up before it is on the wire sends it when it gets there
    if (GIVEN_UP.has(to) && !GIVEN_UP.has(from)) this.sendCancel();
  }

  private applyTimers(state: UacLegState): void {
    const alive = TIMERS[state];
    for (const [name, t] of this.running) {
      if (alive.includes(name)) continue;
      clearTimeout(t);
      this.running.delete(name);
    }
    for (const name of alive) if (!this.running.has(name)) this.arm(name);
  }

  private arm(name: LegTimer): void {
    const ms = name === 'first-response' ? this.timers.firstResponseTimeoutMs : this.timers.ringTimeoutMs;
    if (ms === undefined) return;
    this.running.set(
      name,
      setTimeout(() => this.expired(name), ms),
    );
  }

  private expired(name: LegTimer): void {
    this.running.delete(name);
    const abandoned = GIVEN_UP.has(this.current);
    this.transition(S.Expired);
    if (name === 'first-response') this.settle({ kind: 'failed', status: 408, reason: reasonPhrase(408), local: false, abandoned, timer: name });
    else this.settle({ kind: 'failed', status: 480, reason: 'No Answer', local: false, abandoned, timer: name });
  }

  private answered(dialog: Srf.Dialog): void {
    if (GIVEN_UP.has(this.current)) {
      this.transition(S.Cancelled);
      dialog.destroy();
      this.settle({ kind: 'failed', status: 487, reason: reasonPhrase(487), local: false, abandoned: true });
      return;
    }
    this.transition(S.Answered);
    this.settle({ kind: 'answered', dialog });
  }

  private failed(err: unknown): void {
    const abandoned = GIVEN_UP.has(this.current);
    this.transition(abandoned ? S.Cancelled : S.Failed);
    const e = (typeof err === 'object' && err !== null ? err : {}) as SipErrorLike;
    const status = typeof e.status === 'number' ? e.status : undefined;
    if (status === undefined) this.settle({ kind: 'failed', status: 503, reason: reasonPhrase(503), local: true, abandoned });
    else this.settle({ kind: 'failed', status, reason: typeof e.reason === 'string' ? e.reason : '', local: false, abandoned });
  }

  private sendCancel(): void {
    if (this.sent === undefined) return;
    try {
      this.sent.cancel(() => undefined);
    } catch {
      // the transaction already ended: nothing left to cancel
    }
  }
}
