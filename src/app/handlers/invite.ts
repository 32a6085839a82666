import type Srf from 'drachtio-srf';
import type { AppContext } from '../context.js';

/** Placeholder until the INVITE handler lands: answers 501 so nothing hangs. NOT IMPLEMENTED. */
export function inviteHandler(ctx: AppContext) {
  return (req: Srf.SrfRequest, res: Srf.SrfResponse): void => {
    ctx.log.warn({ callId: req.get('Call-ID') }, 'INVITE handling is not implemented yet: 501');
    res.send(501);
  };
}
