import type Srf from 'drachtio-srf';
import type { Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { countsOf, type MailboxCounts } from '../../store/voicemail-store.js';
import { notifySubscriber } from '../voicemail/mwi-notify.js';
import { authenticateDevice } from './device-auth.js';
import { headerOf, requestSource, userOfUri } from './request-facts.js';
import { reasonPhrase } from '../../sip/index.js';

/** The only event package served (RFC 3842). */
const EVENT = 'message-summary';
/** RFC 3842 §5: the default duration; also the longest granted. */
export const MWI_DEFAULT_EXPIRES = 3600;
/** Shorter subscriptions are answered 423 with this Min-Expires. */
export const MWI_MIN_EXPIRES = 60;

/** The event type of an Event header (`message-summary;id=1` → `message-summary`). */
const eventType = (v: string | undefined): string => (v ?? '').split(';', 1)[0]!.trim().toLowerCase();

/**
 * SUBSCRIBE (RFC 6665) to a mailbox's `message-summary` (RFC 3842). A new subscription: other
 * event packages get 489; the device is authenticated like for a call (407); it may only watch
 * its own extension's mailbox (403 otherwise, 404 when there is none); Expires is clamped to
 * [60, 3600] (423 below 60, 0 is a one-time fetch). It is answered 200 with the Expires granted,
 * then a NOTIFY with the current counts. A refresh in the dialog restarts the timer and NOTIFYs
 * again; Expires 0 ends it with a final NOTIFY.
 */
export function subscribeHandler(ctx: AppContext) {
  return (req: Srf.SrfRequest, res: Srf.SrfResponse): void => {
    handleSubscribe(ctx, req, res).catch((err: unknown) => {
      ctx.log.error({ err, callId: req.get('Call-ID') }, 'SUBSCRIBE failed unexpectedly: 500');
      if (!res.finalResponseSent) res.send(500);
    });
  };
}

async function handleSubscribe(ctx: AppContext, req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
  const event = eventType(headerOf(req, 'event'));
  if (event !== EVENT) {
    ctx.log.debug({ event, source: req.source_address }, 'SUBSCRIBE to an unknown event package: 489');
    res.send(489, reasonPhrase(489), { headers: { 'Allow-Events': EVENT } });
    return;
  }
  const expires = requestedExpires(headerOf(req, 'expires'));
  if (expires === undefined) {
    res.send(400, 'Bad Expires', {});
    return;
  }
  if (expires > 0 && expires < MWI_MIN_EXPIRES) {
    res.send(423, reasonPhrase(423), { headers: { 'Min-Expires': String(MWI_MIN_EXPIRES) } });
    return;
  }
  // in-dialog requests carry the engine's dialog id; new ones do not
  const dialogId = (req as unknown as { stackDialogId?: string }).stackDialogId;
  if (typeof dialogId === 'string' && dialogId !== '') {
    await refresh(ctx, req, res, dialogId, expires);
    return;
  }
  const device = await authenticateDevice(ctx, req, res);
  if (device === undefined) return;
  const { tenant, extension } = device;
  const log = ctx.log.child({ extension: extension.number, device: device.deviceUser });
  const target = userOfUri(req.uri)?.replace(/_\d+$/, '');
  if (target !== undefined && target !== extension.number) {
    log.info({ target, source: requestSource(req).address }, "MWI SUBSCRIBE to another extension's mailbox: 403");
    res.send(403);
    return;
  }
  if (extension.voicemail === undefined) {
    log.info('MWI SUBSCRIBE: the extension has no mailbox: 404');
    res.send(404, 'No Mailbox', {});
    return;
  }
  const counts = await mailboxCounts(ctx, tenant, extension.number);
  const granted = await answer(res, expires);
  const sub = { dialogId: granted.dialogId, tenant: tenant.name, extension: extension.number, deviceUser: device.deviceUser, account: `sip:${extension.number}@${tenant.domain}` };
  if (expires === 0) {
    log.debug('MWI fetch (SUBSCRIBE with Expires 0)');
    notifySubscriber(ctx, { ...sub, expiresAt: Date.now() }, counts, { terminated: 'timeout' }, log);
    return;
  }
  const stored = ctx.mwi.put(sub, expires);
  log.info({ expires, subscriptions: ctx.mwi.size }, 'MWI subscription accepted');
  notifySubscriber(ctx, stored, counts, { active: expires }, log);
}

/** A SUBSCRIBE in an existing subscription's dialog: refresh, or end it (Expires 0). */
async function refresh(ctx: AppContext, req: Srf.SrfRequest, res: Srf.SrfResponse, dialogId: string, expires: number): Promise<void> {
  const table = ctx.mwi;
  const sub = table.get(dialogId);
  if (sub === undefined) {
    res.send(481);
    return;
  }
  const log = ctx.log.child({ extension: sub.extension, device: sub.deviceUser });
  const tenant = ctx.config.tenants.get(sub.tenant);
  const counts = tenant === undefined ? undefined : await mailboxCounts(ctx, tenant, sub.extension);
  await answer(res, expires);
  if (expires === 0) {
    table.remove(dialogId);
    log.info('MWI subscription ended by the device');
    notifySubscriber(ctx, sub, counts, { terminated: 'timeout' }, log);
    return;
  }
  const refreshed = table.put(sub, expires);
  log.debug({ expires }, 'MWI subscription refreshed');
  notifySubscriber(ctx, refreshed, counts, { active: expires }, log);
}

/** 200 with the Expires granted; resolves with the engine's dialog id once it is sent. */
function answer(res: Srf.SrfResponse, expires: number): Promise<{ dialogId: string }> {
  return new Promise((resolve, reject) => {
    res.send(200, reasonPhrase(200), { headers: { Expires: String(expires) } }, (err: unknown) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve({ dialogId: String((res as unknown as { stackDialogId?: string }).stackDialogId ?? '') });
    });
  });
}

/** Expires asked for, clamped to the longest granted; undefined when it is no number. */
function requestedExpires(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return MWI_DEFAULT_EXPIRES;
  if (!/^\d+$/.test(v.trim())) return undefined;
  return Math.min(Number(v.trim()), MWI_DEFAULT_EXPIRES);
}

async function mailboxCounts(ctx: AppContext, tenant: Tenant, extension: string): Promise<MailboxCounts> {
  return countsOf(await ctx.voicemail.list(tenant.name, extension));
}
