import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import type { CallerLeg, RingingParty } from '../calls/caller-leg.js';

/**
 * A caller whose media is anchored on a media server (to record the call): the callee legs are
 * offered the SDP of a second endpoint, the caller is answered with the first endpoint's SDP,
 * and the two endpoints are bridged at the answer. Progress is relayed as ringing only: the
 * callee's early media would need the endpoints joined before the answer.
 */
export class AnchoredParty implements RingingParty {
  constructor(
    private readonly caller: CallerLeg,
    readonly callerEp: Mrf.Endpoint,
    readonly calleeEp: Mrf.Endpoint,
  ) {}

  get gone(): boolean {
    return this.caller.gone;
  }

  get offer(): string {
    return this.calleeEp.local.sdp;
  }

  progress(status: number, reason: string): void {
    this.caller.progress(status, reason, undefined);
  }

  onCancel(listener: () => void): void {
    this.caller.onCancel(listener);
  }

  async answer(sdp: string): Promise<Srf.Dialog> {
    if (this.caller.gone) throw new Error('caller already gone');
    await this.calleeEp.modify(sdp);
    await this.callerEp.bridge(this.calleeEp);
    return this.caller.answer(this.callerEp.local.sdp);
  }
}
