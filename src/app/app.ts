import type { AppContext } from './context.js';
import { optionsHandler } from './handlers/options.js';
import { registerHandler } from './handlers/register.js';
import { inviteHandler } from './handlers/invite.js';
import { callServices } from './calls/services.js';

/** Wires the SIP method handlers onto srf. The app never knows which engine it talks to. */
export function startApplication(ctx: AppContext): void {
  ctx.srf.use('options', optionsHandler(ctx));
  ctx.srf.use('register', registerHandler(ctx));
  ctx.srf.invite(inviteHandler(ctx));
  // a REGISTER sent before the engine connection is up fails and is retried with back-off
  callServices(ctx).registrations.start();
}
