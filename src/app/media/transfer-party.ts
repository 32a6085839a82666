import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import type { MediaCaller, RingingParty } from '../calls/caller-leg.js';
import { IllegalLegTransition } from '../calls/leg-transition-error.js';
import { RINGBACK } from './prompts.js';

export enum TransferState {
  /** the callee legs are offered the second endpoint; the caller hears nothing yet */
  Waiting = 'waiting',
  /** a callee rings: the caller hears ringback on its own endpoint */
  Ringback = 'ringback',
  /** a callee answered: the two endpoints are bridged */
  Bridged = 'bridged',
  /** the caller was handed to another app on its media server (voicemail), which ends the call */
  HandedOver = 'handed-over',
  /** the caller hung up */
  CallerGone = 'caller-gone',
}

const S = TransferState;

const NEXT: Readonly<Record<TransferState, readonly TransferState[]>> = {
  [S.Waiting]: [S.Ringback, S.Bridged, S.HandedOver, S.CallerGone],
  // back to Waiting when the transfer failed and the caller returns to the menu (or goes to voicemail)
  [S.Ringback]: [S.Waiting, S.Bridged, S.CallerGone],
  [S.Bridged]: [S.CallerGone],
  [S.HandedOver]: [S.CallerGone],
  [S.CallerGone]: [],
};

/**
 * A caller already answered on a media server (in an IVR) being transferred: the callee legs are
 * offered the SDP of a second endpoint on the same media server; the caller hears ringback on its
 * own endpoint; the answer joins the two endpoints. Forking, forwards and trunks see an ordinary
 * ringing party, so a transfer rings exactly what a direct call would.
 */
export class TransferParty implements RingingParty {
  private current: TransferState = S.Waiting;
  private readonly cancelListeners: Array<() => void> = [];

  constructor(
    private readonly callerDialog: Srf.Dialog,
    private readonly callerEp: Mrf.Endpoint,
    private readonly calleeEp: Mrf.Endpoint,
  ) {
    callerDialog.once('destroy', () => this.callerLeft());
  }

  get state(): TransferState {
    return this.current;
  }

  get gone(): boolean {
    return this.current === S.CallerGone;
  }

  get offer(): string {
    return this.calleeEp.local.sdp;
  }

  /** The caller hung up while the transfer rang (or after it was bridged). */
  callerLeft(): void {
    if (this.current !== S.CallerGone) this.transition(S.CallerGone);
  }

  progress(): void {
    if (this.current === S.Waiting) this.transition(S.Ringback);
  }

  onCancel(listener: () => void): void {
    if (this.gone) listener();
    else this.cancelListeners.push(listener);
  }

  async answer(sdp: string): Promise<Srf.Dialog> {
    if (this.gone) throw new Error('caller already gone');
    await this.stopRingback();
    await this.calleeEp.modify(sdp);
    await this.callerEp.bridge(this.calleeEp);
    // the caller may have left while the endpoints were joined: its dialog's end tells the bridge
    if (this.current === S.Waiting) this.transition(S.Bridged);
    return this.callerDialog;
  }

  /** Voicemail takes the caller where it is: its own endpoint, already answered. */
  async takeOnMedia(): Promise<MediaCaller | undefined> {
    await this.stopRingback();
    if (this.current !== S.Waiting) return undefined;
    this.transition(S.HandedOver);
    return { endpoint: this.callerEp, dialog: this.callerDialog };
  }

  /** Stops the ringback (a transfer that failed goes back to the menu). */
  async stopRingback(): Promise<void> {
    if (this.current !== S.Ringback) return;
    this.transition(S.Waiting);
    await this.callerEp.api('uuid_break', `${this.callerEp.uuid} all`).catch(() => undefined);
  }

  /** The one guarded transition; entering a state does that state's work. */
  private transition(to: TransferState): void {
    if (!NEXT[this.current].includes(to)) throw new IllegalLegTransition('transfer', this.current, to);
    this.current = to;
    if (to === S.Ringback) {
      // ends with uuid_break at the answer, or with the channel
      this.callerEp.play(RINGBACK).catch(() => undefined);
    } else if (to === S.CallerGone) {
      for (const l of this.cancelListeners.splice(0)) l();
    }
  }
}
