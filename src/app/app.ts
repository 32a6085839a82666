import type { AppContext } from './context.js';
import { optionsHandler } from './handlers/options.js';
import { registerHandler } from './handlers/register.js';
import { subscribeHandler } from './handlers/subscribe.js';
import { inviteHandler } from './handlers/invite.js';
import { callServices } from './calls/services.js';
import type { Admission } from './admission.js';

/** Wires the SIP method handlers onto srf. The app never knows which engine it talks to. */
export function startApplication(ctx: AppContext, admission?: Admission): void {
  ctx.srf.use('options', optionsHandler(ctx));
  ctx.srf.use('register', registerHandler(ctx));
  ctx.srf.use('subscribe', subscribeHandler(ctx));
  const invite = inviteHandler(ctx);
  // only new INVITEs reach this handler: re-INVITEs go to their dialogs
  ctx.srf.invite((req, res) => {
    if (admission?.refuse(res) !== true) invite(req, res);
  });
  // a REGISTER sent before the engine connection is up fails and is retried with back-off
  callServices(ctx).registrations.start();
  callServices(ctx).traffic.start();
}
