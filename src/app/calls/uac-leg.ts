import type Srf from 'drachtio-srf';

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
  /** `local`: the request never got a response from the far end (send error). */
  | { kind: 'failed'; status: number; reason: string; local: boolean; abandoned: boolean };

export interface LegEvents {
  onProvisional?(status: number, reason: string, sdp: string | undefined): void;
}

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

/**
 * One B2BUA leg: an INVITE sent with srf.createUAC that can be cancelled at any time. Once
 * abandoned (cancelled by its owner), a late 2xx is hung up here and reported as failed, so an
 * owner that has moved on never receives a dialog it no longer wants.
 */
export class UacLeg {
  readonly result: Promise<LegResult>;
  private sent: SentInvite | undefined;
  private abandoned = false;
  private cancelSent = false;
  private finished = false;
  private provisionalSeen = false;

  constructor(srf: Srf, target: LegTarget, events: LegEvents = {}) {
    const onRequest: RequestCallback = (err, req) => {
      if (err || req === undefined) return;
      this.sent = req;
      if (this.abandoned) this.sendCancel();
    };
    const onProvisional = (res: ProvisionalResponse): void => {
      this.provisionalSeen = true;
      if (!this.abandoned) events.onProvisional?.(res.status, res.reason, res.body || undefined);
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
    this.result = srf.createUAC(target.uri, opts, progress).then(
      (dialog): LegResult => {
        this.finished = true;
        if (!this.abandoned) return { kind: 'answered', dialog };
        dialog.destroy();
        return { kind: 'failed', status: 487, reason: 'Request Terminated', local: false, abandoned: true };
      },
      (err: unknown): LegResult => {
        this.finished = true;
        const e = (typeof err === 'object' && err !== null ? err : {}) as SipErrorLike;
        const status = typeof e.status === 'number' ? e.status : undefined;
        if (status === undefined) return { kind: 'failed', status: 503, reason: 'Service Unavailable', local: true, abandoned: this.abandoned };
        return { kind: 'failed', status, reason: typeof e.reason === 'string' ? e.reason : '', local: false, abandoned: this.abandoned };
      },
    );
  }

  /** A provisional response (other than 100, which the engine keeps) has arrived. */
  get responded(): boolean {
    return this.provisionalSeen || this.finished;
  }

  /** Stop this leg: CANCEL while pending; a 2xx that crosses the CANCEL is hung up. Idempotent. */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    if (this.sent !== undefined) this.sendCancel();
  }

  private sendCancel(): void {
    if (this.cancelSent || this.finished || this.sent === undefined) return;
    this.cancelSent = true;
    try {
      this.sent.cancel(() => undefined);
    } catch {
      // the transaction already ended: nothing left to cancel
    }
  }
}
