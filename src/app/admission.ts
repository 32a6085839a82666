import type Srf from 'drachtio-srf';
import { reasonPhrase } from '../sip/index.js';

/**
 * Whether new calls are taken. Closed during a drain: a new INVITE is answered 503 with
 * Retry-After; REGISTER, OPTIONS and in-dialog requests (which drachtio-srf routes to their
 * dialogs, never to the INVITE handler) are not affected.
 */
export class Admission {
  private retryAfter: number | undefined;

  /** From now on new INVITEs are refused, asking the caller to retry after `retryAfterSeconds`. */
  close(retryAfterSeconds: number): void {
    this.retryAfter = retryAfterSeconds;
  }

  get open(): boolean {
    return this.retryAfter === undefined;
  }

  /** Refuses the request when closed; true when it was refused. */
  refuse(res: Srf.SrfResponse): boolean {
    if (this.retryAfter === undefined) return false;
    res.send(503, reasonPhrase(503), { headers: { 'Retry-After': String(this.retryAfter) } });
    return true;
  }
}
