import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import type { CallerLeg, MediaCaller, RingingParty } from '../calls/caller-leg.js';
import { IllegalLegTransition } from '../calls/leg-transition-error.js';

/** Where the two endpoints of an anchored call are. */
export enum AnchorState {
  /** not bridged: the caller is told of ringing and plays its own ringback */
  Apart = 'apart',
  /** a callee's early media (18x with SDP) came: its endpoint is being pointed at the callee and bridged */
  Joining = 'joining',
  /** bridged before the answer: the caller hears the callee's early media */
  JoinedEarly = 'joined-early',
  /** the answer is under way or done: the endpoints are bridged */
  Answered = 'answered',
}

const A = AnchorState;

const NEXT: Readonly<Record<AnchorState, readonly AnchorState[]>> = {
  [A.Apart]: [A.Joining, A.Answered],
  // a failed early join leaves the endpoints apart: the answer still joins them
  [A.Joining]: [A.JoinedEarly, A.Apart],
  [A.JoinedEarly]: [A.Answered],
  [A.Answered]: [],
};

/**
 * A caller whose media is anchored on a media server (to record the call): the callee legs are
 * offered the SDP of a second endpoint, the caller is answered with the first endpoint's SDP.
 * The endpoints are bridged at the callee's first early media (relayed to the caller as that 18x
 * with the caller endpoint's SDP) or else at the answer.
 */
export class AnchoredParty implements RingingParty {
  private current: AnchorState = A.Apart;
  /** the early join under way or done, which the answer waits for */
  private joining: Promise<void> | undefined;
  /** the SDP the callee endpoint was pointed at early */
  private earlySdp: string | undefined;

  constructor(
    private readonly caller: CallerLeg,
    readonly callerEp: Mrf.Endpoint,
    readonly calleeEp: Mrf.Endpoint,
  ) {}

  get state(): AnchorState {
    return this.current;
  }

  get gone(): boolean {
    return this.caller.gone;
  }

  get offer(): string {
    return this.calleeEp.local.sdp;
  }

  progress(status: number, reason: string, sdp: string | undefined): void {
    if (sdp === undefined || this.current !== A.Apart) {
      this.caller.progress(status, reason, undefined);
      return;
    }
    this.transition(A.Joining);
    this.joining = this.joinEarly(status, reason, sdp);
  }

  onCancel(listener: () => void): void {
    this.caller.onCancel(listener);
  }

  async answer(sdp: string): Promise<Srf.Dialog> {
    if (this.caller.gone) throw new Error('caller already gone');
    await this.joining;
    const early = this.current === A.JoinedEarly;
    this.transition(A.Answered);
    if (!early || sdp !== this.earlySdp) await this.calleeEp.modify(sdp);
    if (!early) await this.callerEp.bridge(this.calleeEp);
    return this.caller.answer(this.callerEp.local.sdp);
  }

  /** Voicemail answers the caller itself (the anchored endpoints are freed by the call); not after early media, whose SDP the caller holds. */
  takeOnMedia(pick: () => Mrf.MediaServer | undefined): Promise<MediaCaller | undefined> {
    return this.current === A.Apart ? this.caller.takeOnMedia(pick) : Promise.resolve(undefined);
  }

  private async joinEarly(status: number, reason: string, sdp: string): Promise<void> {
    try {
      await this.calleeEp.modify(sdp);
      await this.callerEp.bridge(this.calleeEp);
    } catch {
      // the media server would not take the callee's early SDP: ringing instead, the answer tries again
      this.transition(A.Apart);
      this.caller.progress(180, 'Ringing', undefined);
      return;
    }
    this.earlySdp = sdp;
    this.transition(A.JoinedEarly);
    this.caller.progress(status, reason, this.callerEp.local.sdp);
  }

  private transition(to: AnchorState): void {
    if (!NEXT[this.current].includes(to)) throw new IllegalLegTransition('anchor', this.current, to);
    this.current = to;
  }
}
