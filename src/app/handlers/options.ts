import type Srf from 'drachtio-srf';
import type { AppContext } from '../context.js';

/** Devices and carriers ping us with OPTIONS (qualify/keep-alive): answer 200 with what we support. */
export function optionsHandler(ctx: AppContext) {
  return (req: Srf.SrfRequest, res: Srf.SrfResponse): void => {
    res.send(200, { headers: { Allow: 'INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO, UPDATE, SUBSCRIBE', 'Allow-Events': 'message-summary', Accept: 'application/sdp' } });
    ctx.log.debug({ from: req.source_address, callId: req.get('Call-ID') }, 'OPTIONS answered');
  };
}
