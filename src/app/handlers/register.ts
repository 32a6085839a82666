import type Srf from 'drachtio-srf';
import type { AppContext } from '../context.js';

/** Placeholder until the REGISTER handler lands: answers 501 so nothing hangs. NOT IMPLEMENTED. */
export function registerHandler(ctx: AppContext) {
  return (req: Srf.SrfRequest, res: Srf.SrfResponse): void => {
    ctx.log.warn({ callId: req.get('Call-ID') }, 'REGISTER handling is not implemented yet: 501');
    res.send(501);
  };
}
