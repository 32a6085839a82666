import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import { reasonFor } from './errors.js';

/** What forking needs of the party whose call it rings: progress, cancel, answer. */
export interface RingingParty {
  readonly gone: boolean;
  /** The SDP the callee legs offer. */
  readonly offer: string;
  progress(status: number, reason: string, sdp: string | undefined): void;
  onCancel(listener: () => void): void;
  /** Connects the party with the callee that answered with `sdp`; resolves with the party's dialog. */
  answer(sdp: string): Promise<Srf.Dialog>;
}

/**
 * The caller's side of a call (the A leg) before it is answered: relays progress once, answers or
 * rejects exactly once, and tells the B side when the caller gives up (CANCEL).
 */
export class CallerLeg implements RingingParty {
  private cancelled = false;
  private ringingSent = false;
  private earlyMediaSent = false;
  private readonly cancelListeners: Array<() => void> = [];

  constructor(
    private readonly srf: Srf,
    readonly req: Srf.SrfRequest,
    private readonly res: Srf.SrfResponse,
  ) {
    req.on('cancel', () => {
      this.cancelled = true;
      // the engine answers the CANCEL itself; the INVITE gets its 487 here
      if (!res.finalResponseSent) res.send(487);
      for (const l of this.cancelListeners.splice(0)) l();
    });
  }

  get gone(): boolean {
    return this.cancelled;
  }

  get offer(): string {
    return this.req.body;
  }

  /** Answers the caller from a media server (IVR, prompts): fsmrf's connectCaller does the SIP. */
  connectTo(ms: Mrf.MediaServer): Promise<{ endpoint: Mrf.Endpoint; dialog: Srf.Dialog }> {
    return ms.connectCaller(this.req, this.res);
  }

  get finalSent(): boolean {
    return this.res.finalResponseSent;
  }

  onCancel(listener: () => void): void {
    if (this.cancelled) listener();
    else this.cancelListeners.push(listener);
  }

  /** Relays 180/183 once each; early media (183 with SDP) only once, never after the answer. */
  progress(status: number, reason: string, sdp: string | undefined): void {
    if (this.cancelled || this.res.finalResponseSent) return;
    if (sdp !== undefined) {
      if (this.earlyMediaSent) return;
      this.earlyMediaSent = true;
      this.res.send(status, reason, { body: sdp, headers: { 'Content-Type': 'application/sdp' } });
      return;
    }
    if (this.ringingSent || this.earlyMediaSent) return;
    this.ringingSent = true;
    this.res.send(180, 'Ringing', {});
  }

  reject(status: number, reason?: string, headers: Record<string, string> = {}): void {
    if (this.res.finalResponseSent) return;
    this.res.send(status, reason ?? reasonFor(status), { headers });
  }

  /** Answers with the winner's SDP; rejects when the caller has left meanwhile. */
  answer(sdp: string): Promise<Srf.Dialog> {
    if (this.cancelled || this.res.finalResponseSent) return Promise.reject(new Error('caller already gone'));
    return this.srf.createUAS(this.req, this.res, { localSdp: sdp });
  }
}
