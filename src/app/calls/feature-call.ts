import type { Logger } from 'pino';
import { judgeForward, type FeatureRoute, type Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { reasonPhrase } from '../../sip/index.js';

export interface FeatureAnswer {
  status: number;
  reason: string;
}

/**
 * Feature codes that need no voice (DND, *72/*73 forwarding) change the caller's settings in the
 * state store and answer with a final response whose reason phrase says what happened (phones
 * show it): 603 on success, since no call is set up. Codes that need a media server answer 501
 * until one is there. A `*72` target is judged with the caller's CoS when it is set, so a forward
 * the CoS would refuse is never stored.
 */
export async function runFeature(ctx: AppContext, tenant: Tenant, extension: string, f: FeatureRoute, log: Logger, sourceAddress: string, deviceUser: string): Promise<FeatureAnswer> {
  const ext = tenant.extensions.get(extension);
  const fields = { feature: f.feature, extension };
  try {
    switch (f.feature) {
      case 'doNotDisturbOn':
      case 'doNotDisturbOff': {
        const dnd = f.feature === 'doNotDisturbOn';
        await ctx.settings.update(tenant.name, extension, { dnd });
        log.info({ ...fields, dnd }, `do not disturb ${dnd ? 'on' : 'off'}`);
        return { status: 603, reason: dnd ? 'Do Not Disturb On' : 'Do Not Disturb Off' };
      }
      case 'callForwardCancel':
        await ctx.settings.update(tenant.name, extension, { forwardTo: null });
        log.info(fields, 'call forwarding cancelled');
        return { status: 603, reason: 'Call Forwarding Off' };
      case 'callForwardUnconditional': {
        if (f.argument === '') return { status: 484, reason: 'Address Incomplete' };
        if (ext === undefined) return { status: 403, reason: reasonPhrase(403) };
        const j = judgeForward(tenant, ext, f.argument, Date.now(), [extension]);
        if (j.kind === 'refused') {
          log.info({ ...fields, to: f.argument, status: j.status, why: j.why }, 'call forwarding refused');
          return { status: j.status === 482 ? 482 : 403, reason: 'Forward Target Refused' };
        }
        await ctx.settings.update(tenant.name, extension, { forwardTo: f.argument });
        log.info({ ...fields, to: f.argument }, 'call forwarding set');
        return { status: 603, reason: 'Call Forwarding On' };
      }
      case 'hotDeskLogout': {
        const guest = await ctx.hotDesk.logoutPhone(tenant.name, deviceUser);
        log.info({ ...fields, phone: deviceUser, guest }, guest === undefined ? 'hot-desk logout: nobody was logged in' : 'hot-desk logout');
        return { status: 603, reason: guest === undefined ? 'Nobody Logged In' : 'Logged Out' };
      }
      case 'nightModeToggle': {
        if (tenant.nightModePin !== undefined && f.argument !== tenant.nightModePin) {
          // a wrong PIN counts like a wrong password (guessing protection)
          const { bannedNow } = ctx.bans.recordFailure(sourceAddress);
          log.info({ ...fields, source: sourceAddress, ...(bannedNow && { bannedNow }) }, 'night mode: wrong PIN: 403');
          return { status: 403, reason: reasonPhrase(403) };
        }
        const { nightMode } = await ctx.settings.toggleNightMode(tenant.name);
        log.info({ ...fields, nightMode }, `night mode ${nightMode ? 'on' : 'off'}`);
        return { status: 603, reason: nightMode ? 'Night Mode On' : 'Night Mode Off' };
      }
      default:
        log.info({ ...fields, rule: f.rule.detail }, 'feature code needs the media service: 501 (not available yet)');
        return { status: 501, reason: 'Not Implemented' };
    }
  } catch (err) {
    log.error({ ...fields, err }, 'feature code failed: state store unavailable');
    return { status: 500, reason: reasonPhrase(500) };
  }
}
