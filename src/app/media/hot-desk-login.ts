import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import { HOT_DESK_LOGIN_TRIES, HOT_DESK_SESSION_SECONDS, verifyHotDeskLogin, type Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import type { CallLog } from '../calls/call-record.js';
import type { CallerLeg } from '../calls/caller-leg.js';
import { promptFile } from './prompts.js';
import type { FeatureCaller } from './voice-features.js';

/**
 * `*22` (DOMAIN §1): the phone's user says who they are by voice — extension, then PIN, each
 * ended by # or a pause — and the phone becomes theirs (calls, caller ID, CoS) until `*23`, a
 * login elsewhere or the session's expiry. Wrong PINs count towards the source's ban like wrong
 * passwords; after a few the call ends.
 */
export async function runHotDeskLogin(ctx: AppContext, caller: CallerLeg, tenant: Tenant, who: FeatureCaller, ms: Mrf.MediaServer, call: CallLog): Promise<void> {
  const { log } = call;
  const source = caller.req.source_address;
  let conn: { endpoint: Mrf.Endpoint; dialog: Srf.Dialog };
  try {
    conn = await caller.connectTo(ms);
  } catch (err) {
    const status = caller.gone ? 487 : 503;
    log.warn({ err: err instanceof Error ? err.message : String(err) }, `hot-desk login could not be answered on the media server: ${status}`);
    caller.reject(status, undefined, status === 503 ? { 'Retry-After': '30' } : {});
    call.finish(status);
    return;
  }
  call.answeredHere();
  const { endpoint: ep, dialog } = conn;
  let gone = false;
  dialog.once('destroy', () => (gone = true));
  const prompt = (name: string): string => promptFile(ctx.config.media, name, tenant);
  const ask = async (name: string, max: number): Promise<string> => {
    const r = await ep.playCollect({ file: prompt(name), min: 1, max, tries: 1, timeout: 8000, digitTimeout: 3000, terminators: '#', regexp: '\\d+' });
    return r.digits ?? '';
  };
  try {
    for (let attempt = 1; attempt <= HOT_DESK_LOGIN_TRIES && !gone; attempt++) {
      const extension = await ask('enter-extension', 8);
      if (gone) break;
      const pin = extension === '' ? '' : await ask('enter-pin', 12);
      if (gone) break;
      const guest = verifyHotDeskLogin(tenant, extension, pin);
      if (guest) {
        await ctx.hotDesk.login(tenant.name, who.deviceUser, guest.number, HOT_DESK_SESSION_SECONDS);
        log.info({ phone: who.deviceUser, guest: guest.number, hours: HOT_DESK_SESSION_SECONDS / 3600 }, 'hot-desk login');
        await ep.play(prompt('logged-in'));
        return;
      }
      if (extension !== '') {
        const { bannedNow } = ctx.bans.recordFailure(source);
        log.info({ phone: who.deviceUser, extension, attempt, source, ...(bannedNow && { bannedNow }) }, 'hot-desk login refused: wrong extension or PIN');
        if (bannedNow) break;
      }
      await ep.play(prompt('login-failed'));
    }
    if (!gone) await ep.play(prompt('goodbye'));
  } catch (err) {
    if (!gone) log.warn({ err: err instanceof Error ? err.message : String(err) }, 'hot-desk login failed on the media server');
  } finally {
    await ep.destroy().catch(() => undefined);
    if (!gone) await Promise.resolve(dialog.destroy()).catch(() => undefined);
    call.finish();
  }
}
