import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import type { RingingParty } from '../calls/caller-leg.js';
import { RINGBACK } from './prompts.js';

/**
 * A caller already answered on a media server (in an IVR) being transferred: the callee legs are
 * offered the SDP of a second endpoint on the same media server; the caller hears ringback on its
 * own endpoint; the answer joins the two endpoints. Forking, forwards and trunks see an ordinary
 * ringing party, so a transfer rings exactly what a direct call would.
 */
export class TransferParty implements RingingParty {
  private ringing = false;
  private hungUp = false;
  private readonly cancelListeners: Array<() => void> = [];

  constructor(
    private readonly callerDialog: Srf.Dialog,
    private readonly callerEp: Mrf.Endpoint,
    private readonly calleeEp: Mrf.Endpoint,
  ) {
    callerDialog.once('destroy', () => this.callerLeft());
  }

  get gone(): boolean {
    return this.hungUp;
  }

  get offer(): string {
    return this.calleeEp.local.sdp;
  }

  /** The caller hung up while the transfer rang. */
  callerLeft(): void {
    if (this.hungUp) return;
    this.hungUp = true;
    for (const l of this.cancelListeners.splice(0)) l();
  }

  progress(): void {
    if (this.ringing || this.hungUp) return;
    this.ringing = true;
    // ends with uuid_break at the answer, or with the channel
    this.callerEp.play(RINGBACK).catch(() => undefined);
  }

  onCancel(listener: () => void): void {
    if (this.hungUp) listener();
    else this.cancelListeners.push(listener);
  }

  async answer(sdp: string): Promise<Srf.Dialog> {
    if (this.hungUp) throw new Error('caller already gone');
    await this.stopRingback();
    await this.calleeEp.modify(sdp);
    await this.callerEp.bridge(this.calleeEp);
    return this.callerDialog;
  }

  /** Stops the ringback (a transfer that failed goes back to the menu). */
  async stopRingback(): Promise<void> {
    if (!this.ringing) return;
    this.ringing = false;
    await this.callerEp.api('uuid_break', `${this.callerEp.uuid} all`).catch(() => undefined);
  }
}
