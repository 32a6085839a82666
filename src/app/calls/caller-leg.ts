import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import { reasonFor } from './errors.js';
import { IllegalLegTransition } from './leg-transition-error.js';

/** What forking needs of the party whose call it rings: progress, cancel, answer. */
export interface RingingParty {
  readonly gone: boolean;
  /** The SDP the callee legs offer. */
  readonly offer: string;
  progress(status: number, reason: string, sdp: string | undefined): void;
  onCancel(listener: () => void): void;
  /** Connects the party with the callee that answered with `sdp`; resolves with the party's dialog. */
  answer(sdp: string): Promise<Srf.Dialog>;
  /**
   * Hands the caller to an app on a media server (voicemail) instead of a callee, answering it
   * there if need be; undefined when that is no longer possible (gone, answered, no media server).
   */
  takeOnMedia(pick: () => Mrf.MediaServer | undefined): Promise<MediaCaller | undefined>;
}

/** A caller answered on a media server: its endpoint there and its dialog. */
export interface MediaCaller {
  endpoint: Mrf.Endpoint;
  dialog: Srf.Dialog;
}

/** Where the caller's INVITE is. */
export enum CallerLegState {
  /** received; nothing relayed yet (the engine sent 100 Trying) */
  Offered = 'offered',
  /** 180 Ringing relayed */
  Ringing = 'ringing',
  /** a callee's early media (18x with SDP) relayed; nothing more is relayed before the answer */
  EarlyMedia = 'early-media',
  /** the answer is under way (srf's createUAS, or a media server's connectCaller) */
  Answering = 'answering',
  /** the answer could not be completed; the caller may still be rejected */
  Failed = 'failed',
  /** 2xx sent: the caller's dialog is up and ends with a BYE, never a CANCEL */
  Answered = 'answered',
  /** a final non-2xx sent */
  Rejected = 'rejected',
  /** the caller CANCELled before any final response (487 sent) */
  Cancelled = 'cancelled',
}

const S = CallerLegState;

/** Where each state may go. */
const NEXT: Readonly<Record<CallerLegState, readonly CallerLegState[]>> = {
  [S.Offered]: [S.Ringing, S.EarlyMedia, S.Answering, S.Rejected, S.Cancelled],
  [S.Ringing]: [S.EarlyMedia, S.Answering, S.Rejected, S.Cancelled],
  [S.EarlyMedia]: [S.Answering, S.Rejected, S.Cancelled],
  [S.Answering]: [S.Answered, S.Failed, S.Cancelled],
  [S.Failed]: [S.Rejected, S.Cancelled],
  [S.Answered]: [],
  [S.Rejected]: [],
  [S.Cancelled]: [],
};

/**
 * The caller's side of a call (the A leg) before it is answered: relays progress once, answers or
 * rejects exactly once, and tells the B side when the caller gives up (CANCEL). It owns no timer:
 * ring times belong to the callee legs (`UacLeg`).
 */
export class CallerLeg implements RingingParty {
  private current: CallerLegState = S.Offered;
  private readonly cancelListeners: Array<() => void> = [];

  constructor(
    private readonly srf: Pick<Srf, 'createUAS'>,
    readonly req: Srf.SrfRequest,
    private readonly res: Srf.SrfResponse,
  ) {
    req.on('cancel', () => this.cancelled());
  }

  get state(): CallerLegState {
    return this.current;
  }

  get gone(): boolean {
    return this.current === S.Cancelled;
  }

  get offer(): string {
    return this.req.body;
  }

  /** A final response went out, by this leg or by anything else holding the response (a 407, a media server's answer). */
  get finalSent(): boolean {
    return this.res.finalResponseSent;
  }

  /**
   * The one way the leg changes state: refuses a move the machine does not make (an answered
   * caller cannot be cancelled, only hung up: RFC 3261 §9.2). The leg has no timers to arm.
   */
  transition(to: CallerLegState): void {
    if (!NEXT[this.current].includes(to)) throw new IllegalLegTransition('caller', this.current, to);
    this.current = to;
  }

  /** Answers the caller from a media server (IVR, prompts): fsmrf's connectCaller does the SIP. */
  connectTo(ms: Mrf.MediaServer): Promise<MediaCaller> {
    return this.answering(() => ms.connectCaller(this.req, this.res));
  }

  async takeOnMedia(pick: () => Mrf.MediaServer | undefined): Promise<MediaCaller | undefined> {
    if (this.gone || this.finalSent) return undefined;
    const ms = pick();
    return ms === undefined ? undefined : this.connectTo(ms);
  }

  onCancel(listener: () => void): void {
    if (this.gone) listener();
    else this.cancelListeners.push(listener);
  }

  /** Relays 180 once and early media (18x with SDP) once; nothing after early media or a final response. */
  progress(status: number, reason: string, sdp: string | undefined): void {
    if (this.res.finalResponseSent) return;
    if (sdp !== undefined) {
      if (this.current !== S.Offered && this.current !== S.Ringing) return;
      this.transition(S.EarlyMedia);
      this.res.send(status, reason, { body: sdp, headers: { 'Content-Type': 'application/sdp' } });
      return;
    }
    if (this.current !== S.Offered) return;
    this.transition(S.Ringing);
    this.res.send(180, 'Ringing', {});
  }

  /** A final non-2xx, unless a final response already went out or an answer is under way. */
  reject(status: number, reason?: string, headers: Record<string, string> = {}): void {
    if (this.res.finalResponseSent || !NEXT[this.current].includes(S.Rejected)) return;
    this.transition(S.Rejected);
    this.res.send(status, reason ?? reasonFor(status), { headers });
  }

  /** Answers with the winner's SDP; rejects when the caller has left meanwhile. */
  answer(sdp: string): Promise<Srf.Dialog> {
    return this.answering(() => this.srf.createUAS(this.req, this.res, { localSdp: sdp }));
  }

  private answering<T>(answer: () => Promise<T>): Promise<T> {
    if (this.res.finalResponseSent || !NEXT[this.current].includes(S.Answering)) return Promise.reject(new Error('caller already gone'));
    this.transition(S.Answering);
    return answer().then(
      (answered) => {
        // a CANCEL that crossed our 2xx: the dialog is handed over all the same and ends with a BYE
        if (this.current === S.Answering) this.transition(S.Answered);
        return answered;
      },
      (err: unknown) => {
        if (this.current === S.Answering) this.transition(S.Failed);
        throw err;
      },
    );
  }

  /** The engine answers the CANCEL itself; the INVITE gets its 487 here. A CANCEL after our 2xx changes nothing (RFC 3261 §9.2). */
  private cancelled(): void {
    if (!NEXT[this.current].includes(S.Cancelled)) return;
    if (this.current === S.Answering && this.res.finalResponseSent) return;
    this.transition(S.Cancelled);
    if (!this.res.finalResponseSent) this.res.send(487);
    for (const l of this.cancelListeners.splice(0)) l();
  }
}
