import type { AppContext } from './context.js';
import { optionsHandler } from './handlers/options.js';
import { registerHandler } from './handlers/register.js';
import { subscribeHandler } from './handlers/subscribe.js';
import { inviteHandler } from './handlers/invite.js';
import { CallServices } from './calls/services.js';
import type { Admission } from './admission.js';

/**
 * Wires the SIP method handlers onto srf and starts the call services (trunk watchdog, trunk
 * registrations, traffic summary); the caller stops them with `stopCallServices` when it stops.
 * The app never knows which engine it talks to.
 */
export function startApplication(ctx: AppContext, admission?: Admission): CallServices {
  const services = new CallServices(ctx);
  ctx.srf.use('options', optionsHandler(ctx));
  ctx.srf.use('register', registerHandler(ctx, services.traffic));
  ctx.srf.use('subscribe', subscribeHandler(ctx));
  const invite = inviteHandler(ctx, services);
  // only new INVITEs reach this handler: re-INVITEs go to their dialogs
  ctx.srf.invite((req, res) => {
    if (admission?.refuse(res) !== true) invite(req, res);
  });
  services.start(ctx.config.tenants.values());
  return services;
}
