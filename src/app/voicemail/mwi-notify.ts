import type { Logger } from 'pino';
import type { Tenant } from '../../domain/index.js';
import type { AppContext } from '../context.js';
import { contactsOfExtension } from '../handlers/register.js';
import { countsOf, type MailboxCounts } from '../../store/voicemail-store.js';
import { messageSummary } from './mwi-body.js';
import type { MwiSubscription } from './mwi-subscriptions.js';

interface SentRequest {
  on(event: 'response', listener: (res: { status: number }) => void): void;
}
interface RequestOptions {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  proxy?: string;
  /** in-dialog: the engine's dialog id (no request URI needed) */
  stackDialogId?: string;
}
type SendRequest = (uri: string, opts: RequestOptions, cb: (err: unknown, req?: SentRequest) => void) => void;

const CONTENT_TYPE = 'application/simple-message-summary';
export type SubscriptionState = { active: number } | { terminated: 'timeout' | 'noresource' | 'deactivated' };

/**
 * A NOTIFY in the subscription's dialog (RFC 6665 §4.2.2): `active;expires=N` with the mailbox
 * state, or `terminated;reason=...` (the engine forgets the dialog then). A subscriber that
 * answers 481 or not at all is dropped.
 */
export function notifySubscriber(ctx: AppContext, sub: MwiSubscription, counts: MailboxCounts | undefined, state: SubscriptionState, log: Logger): void {
  const headers: Record<string, string> = {
    Event: 'message-summary',
    'Subscription-State': 'active' in state ? `active;expires=${state.active}` : `terminated;reason=${state.terminated}`,
  };
  const body = counts === undefined ? undefined : messageSummary(counts, sub.account);
  if (body !== undefined) headers['Content-Type'] = CONTENT_TYPE;
  const send = ctx.srf.request.bind(ctx.srf) as unknown as SendRequest;
  // srf's own in-dialog requests use this placeholder too: the engine sends to the dialog's remote target
  send('sip:placeholder', { method: 'NOTIFY', stackDialogId: sub.dialogId, headers, ...(body !== undefined && { body }) }, (err, req) => {
    const fields = { extension: sub.extension, device: sub.deviceUser };
    if (err || req === undefined) {
      log.info({ ...fields, err: err instanceof Error ? err.message : String(err) }, 'MWI NOTIFY not sent: subscription dropped');
      ctx.mwi.remove(sub.dialogId);
      return;
    }
    req.on('response', (res) => {
      log.debug({ ...fields, status: res.status }, 'MWI NOTIFY answered');
      if (res.status === 481 || res.status === 408) {
        log.info({ ...fields, status: res.status }, 'MWI subscriber gone: subscription dropped');
        ctx.mwi.remove(sub.dialogId);
      }
    });
  });
}

/** A NOTIFY with `counts` in each of this instance's subscriptions to the mailbox; those subscriptions. */
export function notifySubscriptions(ctx: AppContext, tenant: string, extension: string, counts: MailboxCounts, log: Logger): MwiSubscription[] {
  const subs = ctx.mwi.ofMailbox(tenant, extension);
  for (const s of subs) notifySubscriber(ctx, s, counts, { active: Math.max(1, Math.round((s.expiresAt - Date.now()) / 1000)) }, log);
  return subs;
}

/**
 * A mailbox another instance changed: its subscriptions held here hear of it (their dialogs are
 * this instance's); the devices without one were told by that instance.
 */
export async function notifyRemoteChange(ctx: AppContext, tenant: string, extension: string, log: Logger): Promise<void> {
  if (ctx.mwi.ofMailbox(tenant, extension).length === 0) return;
  const counts = countsOf(await ctx.voicemail.list(tenant, extension));
  const subs = notifySubscriptions(ctx, tenant, extension, counts, log);
  log.info({ extension, ...counts, subscribers: subs.length }, 'MWI sent for a change made by another instance');
}

/**
 * Message-waiting indication (RFC 3842) when the count changes: a NOTIFY in every subscription
 * to the mailbox, and an unsolicited, out-of-dialog NOTIFY `message-summary` to every registered
 * binding of a device without one, sent where its REGISTER came from (NAT), like a call. Fire and
 * forget: a phone that does not answer only misses the lamp until the next change.
 */
export async function notifyMessageWaiting(ctx: AppContext, tenant: Tenant, extension: string, counts: MailboxCounts, log: Logger): Promise<void> {
  const subs = notifySubscriptions(ctx, tenant.name, extension, counts, log);
  const subscribed = new Set(subs.map((s) => s.deviceUser));
  const bindings = (
    await contactsOfExtension(ctx, tenant, extension).catch((err: unknown) => {
      log.warn({ extension, err: err instanceof Error ? err.message : String(err) }, 'MWI not sent: location store unreadable');
      return [];
    })
  ).filter((b) => !subscribed.has(b.deviceUser));
  const account = `sip:${extension}@${tenant.domain}`;
  const body = messageSummary(counts, account);
  const send = ctx.srf.request.bind(ctx.srf) as unknown as SendRequest;
  for (const b of bindings) {
    const host = b.source.address.includes(':') ? `[${b.source.address}]` : b.source.address;
    const headers = {
      From: `<${account}>;tag=mwi${Date.now().toString(36)}`,
      To: `<sip:${b.deviceUser}@${tenant.domain}>`,
      Event: 'message-summary',
      'Subscription-State': 'active',
      'Content-Type': CONTENT_TYPE,
    };
    send(b.contactUri, { method: 'NOTIFY', headers, body, proxy: `sip:${host}:${b.source.port};transport=${b.source.transport}` }, (err, req) => {
      if (err || req === undefined) {
        log.info({ extension, device: b.deviceUser, err: err instanceof Error ? err.message : String(err) }, 'MWI NOTIFY not sent');
        return;
      }
      req.on('response', (res) => log.debug({ extension, device: b.deviceUser, status: res.status }, 'MWI NOTIFY answered'));
    });
  }
  log.info({ extension, ...counts, subscribers: subs.length, devices: bindings.length }, 'MWI sent');
}
